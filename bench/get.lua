-- wrk script: GET a random ticket among the first N (env AYUDA_N).
local n = tonumber(os.getenv("AYUDA_N") or "100000")
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/api/v1/tickets/" .. math.random(1, n))
end
