-- POST /api/quote as one signed-in member: wrk ... -s quote.lua URL -- TOKEN BODY_FILE
dofile("scripts/bench/report.lua")

local function read(path)
  local f = assert(io.open(path, "rb"))
  local text = f:read("*a")
  f:close()
  return text
end

function init(args)
  local headers = {
    ["Authorization"] = "Bearer " .. read(args[1]):gsub("%s+$", ""),
    ["Content-Type"] = "application/json",
  }
  req = wrk.format("POST", "/api/quote", headers, read(args[2]))
end

function request()
  return req
end
