-- Shared by the wrk scripts of scripts/bench-server.sh: counts each
-- thread's responses by status and, at the end, prints one line the
-- shell script reads:
--   BENCH requests=N seconds=S rps=R p50_ms=A p99_ms=B non2xx=K errors=E statuses=200:N,...
-- (errors: wrk's connect/read/write/timeout errors; non2xx: answers
-- outside 200-299, which wrk itself reports only as "Non-2xx or 3xx").

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

statuses = {}

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts, non2xx = {}, 0
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + n
      if status < 200 or status > 299 then non2xx = non2xx + n end
    end
  end
  local keys = {}
  for status in pairs(counts) do table.insert(keys, status) end
  table.sort(keys)
  local parts = {}
  for _, status in ipairs(keys) do table.insert(parts, status .. ":" .. counts[status]) end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "BENCH requests=%d seconds=%.2f rps=%.1f p50_ms=%.3f p99_ms=%.3f non2xx=%d errors=%d statuses=%s\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    non2xx, e.connect + e.read + e.write + e.timeout, table.concat(parts, ",")))
end
