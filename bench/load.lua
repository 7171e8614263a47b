-- A mixed workload for wrk: 9 reads (projections and the feed, in turn) for every write.
-- One connection per wrk thread (-t N -c N): a thread's request() and response() then
-- alternate, so the time between them is that request's latency, kept per endpoint.
-- Environment: BENCH_TOKEN (a write token). done() prints one line per endpoint:
--   ENDPOINT <label> <count> <p50 ms> <p99 ms> <non-2xx>
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } pel_timespec;
int clock_gettime(int clk_id, pel_timespec *tp);
]]
local ts = ffi.new("pel_timespec")
local function now()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) / 1e9
end

local reads = {
  "/v1/metrics/gaps",
  "/v1/metrics/summary",
  "/v1/timeline",
  "/v1/swaps",
  "/v1/events?limit=100",
  "/v1/feed.atom",
}
local token = os.getenv("BENCH_TOKEN") or ""
local body = '{"occurred_on":"2026-02-05","sources":[{"url":"https://www.reuters.com/world/'
  .. 'europe/swap-2026-02-05/"}],"mediators":["AE","US"],"sides":[{"party":"UA",'
  .. '"received":157,"civilians":7},{"party":"RU","received":157}],'
  .. '"categories":["military","civilians"]}'

local labels = {}
for i, path in ipairs(reads) do
  labels[i] = "GET " .. path
end
local WRITE = #reads + 1
labels[WRITE] = "POST /v1/swaps"

-- Flat arrays only: wrk copies a thread's globals to done() one level deep.
local counter, read_index, current, started = 0, 0, 1, 0
lat_index, lat_ms, failures = {}, {}, {}
for i = 1, WRITE do
  failures[i] = 0
end

request = function()
  counter = counter + 1
  started = now()
  if counter % 10 == 0 then
    current = WRITE
    return wrk.format("POST", "/v1/swaps", {
      ["Content-Type"] = "application/json",
      ["Authorization"] = "Bearer " .. token,
    }, body)
  end
  read_index = read_index % #reads + 1
  current = read_index
  return wrk.format("GET", reads[read_index])
end

response = function(status, headers, body)
  lat_index[#lat_index + 1] = current
  lat_ms[#lat_ms + 1] = (now() - started) * 1000
  if status < 200 or status > 299 then
    failures[current] = failures[current] + 1
  end
end

local threads = {}
setup = function(thread)
  table.insert(threads, thread)
end

done = function(summary, latency, requests)
  local merged, failed = {}, {}
  for i = 1, WRITE do
    merged[i], failed[i] = {}, 0
  end
  for _, thread in ipairs(threads) do
    local index, ms, fail = thread:get("lat_index"), thread:get("lat_ms"), thread:get("failures")
    for n = 1, #index do
      table.insert(merged[index[n]], ms[n])
    end
    for i = 1, WRITE do
      failed[i] = failed[i] + fail[i]
    end
  end
  for i = 1, WRITE do
    local list = merged[i]
    if #list > 0 then
      table.sort(list)
      local function at(q)
        return list[math.max(1, math.ceil(#list * q))]
      end
      io.write(string.format("ENDPOINT %s\t%d\t%.2f\t%.2f\t%d\n", labels[i], #list, at(0.5),
        at(0.99), failed[i]))
    end
  end
end
