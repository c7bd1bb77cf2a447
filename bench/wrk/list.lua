-- Replays a list of requests with wrk, and prints the results as one JSON
-- line ("BENCHJSON {...}") for bench/load to read.
--
--   BENCH_LIST=urls.txt BENCH_MODE=cycle wrk -t2 -c32 -d15s --latency -s bench/wrk/list.lua http://127.0.0.1:8080
--
-- BENCH_LIST: one request a line, "PATH" or "PATH<TAB>ACCEPT" (the Accept
-- header the browser sent for it).
-- BENCH_MODE:
--   cycle  every thread goes through the whole list in order, again and
--          again (the first view: the page's requests in the browser's order);
--   unique thread i of n takes lines i, i+n, i+2n… and never repeats one
--          while any is left (varied queries: no two requests alike); the
--          requests made after a thread ran out are counted as "repeated".
-- BENCH_GZIP=1 adds Accept-Encoding: gzip to every request.
-- BENCH_THREADS: the -t given to wrk (for the unique mode's slices).

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local list = os.getenv("BENCH_LIST")
  local mode = os.getenv("BENCH_MODE") or "cycle"
  local gzip = os.getenv("BENCH_GZIP") == "1"
  local total = tonumber(os.getenv("BENCH_THREADS") or "1")
  reqs = {}
  local i = 0
  for line in io.lines(list) do
    if line ~= "" then
      local path, accept = line:match("^([^\t]*)\t?(.*)$")
      if mode == "cycle" or (i % total) == id then
        local headers = {}
        if accept ~= nil and accept ~= "" then headers["Accept"] = accept end
        if gzip then headers["Accept-Encoding"] = "gzip" end
        table.insert(reqs, wrk.format("GET", path, headers))
      end
      i = i + 1
    end
  end
  if #reqs == 0 then
    error("no requests for thread " .. id .. " in " .. list)
  end
  pos = 0
  made = 0
  repeated = 0
end

function request()
  pos = pos + 1
  if pos > #reqs then
    pos = 1
  end
  made = made + 1
  if made > #reqs then
    repeated = repeated + 1
  end
  return reqs[pos]
end

function done(summary, latency, requests)
  local listed, rep = 0, 0
  for _, t in ipairs(threads) do
    listed = listed + (t:get("made") or 0)
    rep = rep + (t:get("repeated") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests":%d,"duration_us":%d,"bytes":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"min":%d,"mean":%.1f,"p50":%d,"p90":%d,"p99":%d,"max":%d},"requests_made":%d,"repeated":%d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    listed, rep))
end
