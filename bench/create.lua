-- wrk script: create tickets through the API.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"subject":"Bench: no carga el CRM","body":"Cuerpo de prueba del benchmark, con tildes: áéíóú.","requester_id":4}'
