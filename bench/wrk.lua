-- wrk script for the HTTP benchmarks (bench/harness.py runs it; see docs/benchmarks.md).
--
--   wrk -s bench/wrk.lua URL -- TARGETS EXPECTED_STATUS MEAN_DELAY_MS [close]
--
-- TARGETS is a file of tab-separated lines: method, Host header, path, Cookie header and
-- an optional url-encoded form body. Each thread rotates through them from its own
-- starting point, so a run spreads over every site and session in the file. Any status
-- other than EXPECTED_STATUS counts as an error (wrk itself only counts >= 400: a
-- redirect to the sign-in page would otherwise pass as a served page). MEAN_DELAY_MS > 0
-- paces each connection with exponentially distributed pauses (an approximation of a
-- fixed arrival rate); 0 sends as fast as responses come back. "close" sends
-- Connection: close, a new connection per request, as a proxy without upstream
-- keep-alive would.

local targets = {}
local position = 0
local expected = 200
local mean_delay = 0
local threads = {}
unexpected = 0
statuses = ""

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

local function field(line)
  local parts = {}
  for part in (line .. "\t"):gmatch("([^\t]*)\t") do
    table.insert(parts, part)
  end
  return parts
end

function init(args)
  expected = tonumber(args[2]) or 200
  mean_delay = tonumber(args[3]) or 0
  local close = args[4] == "close"
  for line in io.lines(args[1]) do
    local p = field(line)
    local headers = { Host = p[2], ["User-Agent"] = "tmc-bench/1" }
    if close then
      headers["Connection"] = "close"
    end
    if p[4] ~= nil and p[4] ~= "" then
      headers["Cookie"] = p[4]
    end
    local body = nil
    if p[5] ~= nil and p[5] ~= "" then
      body = p[5]
      headers["Content-Type"] = "application/x-www-form-urlencoded"
    end
    table.insert(targets, wrk.format(p[1], p[3], headers, body))
  end
  position = ((thread_number or 1) * 7919) % #targets
  math.randomseed(os.time() + (thread_number or 1))
end

function request()
  position = position % #targets + 1
  return targets[position]
end

local seen = {}

function response(status, headers, body)
  if status ~= expected then
    unexpected = unexpected + 1
    seen[status] = (seen[status] or 0) + 1
    local list = {}
    for code, count in pairs(seen) do
      table.insert(list, code .. ":" .. count)
    end
    statuses = table.concat(list, ",")
  end
end

function delay()
  if mean_delay <= 0 then
    return 0
  end
  return -mean_delay * math.log(1 - math.random())
end

function done(summary, latency, requests)
  local bad, codes = 0, {}
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("unexpected") or 0)
    local s = thread:get("statuses")
    if s ~= nil and s ~= "" then
      table.insert(codes, s)
    end
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"timeout": %d, "status": %d, "unexpected": %d, "codes": "%s", "p50_us": %d, ' ..
    '"p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout, e.status,
    bad, table.concat(codes, ","), latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean))
end
