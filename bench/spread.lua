-- wrk script: spread wrk's threads over several servers (round robin),
-- each thread keeping its connections to one of them, then make the
-- requests of another script. Env: AYUDA_PORTS (e.g. "8081,8082,8083",
-- all on the URL's host), AYUDA_WRK_SCRIPT (bench/create.lua or get.lua).
-- No load balancer: the servers share the database, as behind one.
dofile(os.getenv("AYUDA_WRK_SCRIPT"))

local ports = {}
for p in string.gmatch(os.getenv("AYUDA_PORTS") or "", "%d+") do
  ports[#ports + 1] = p
end
local next_thread = 0

function setup(thread)
  if #ports == 0 then return end
  local host = wrk.host
  local port = ports[next_thread % #ports + 1]
  next_thread = next_thread + 1
  thread.addr = wrk.lookup(host, port)[1]
end
