-- POST /api/orders spread over many members:
--   wrk -t T ... -s order.lua URL -- TOKENS_FILE BODY_FILE T
-- TOKENS_FILE has one session token a line. Thread i of T takes the
-- tokens i, i+T, i+2T, ... in turn, so two threads never book on one
-- member at once (a member's bookings serialize on its row).
dofile("scripts/bench/report.lua")

local function read(path)
  local f = assert(io.open(path, "rb"))
  local text = f:read("*a")
  f:close()
  return text
end

function init(args)
  local tokens = {}
  for line in read(args[1]):gmatch("[^\n]+") do table.insert(tokens, line) end
  local body = read(args[2])
  local n = tonumber(args[3]) or 1
  reqs = {}
  for i = id + 1, #tokens, n do
    reqs[#reqs + 1] = wrk.format("POST", "/api/orders",
      { ["Authorization"] = "Bearer " .. tokens[i], ["Content-Type"] = "application/json" }, body)
  end
  assert(#reqs > 0, "order.lua: fewer tokens than threads")
  turn = 0
end

function request()
  turn = turn % #reqs + 1
  return reqs[turn]
end
