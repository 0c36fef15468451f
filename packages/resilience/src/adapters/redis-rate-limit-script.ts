/**
 * The token-bucket decision of `decideTokenBuckets`, in Lua so it runs atomically on Redis.
 *
 * KEYS: one string per bucket holding its state (tokens, updated at ms) packed with
 * `struct.pack` as two little-endian doubles, so that any replica reads it alike. ARGV: cost, now
 * in ms (empty for Redis server time), then capacity and refill ms per bucket. Returns allowed (0/1), remaining, limit, reset ms and retry-after ms.
 *
 * Written for Redis' time per call (see ADR 0004b): reading and writing the packed state costs a
 * fraction of formatting numbers as text (`tostring` of a double is about 1 µs in Redis' Lua), so
 * no number is formatted. Setting an expiry is the dearest write (Redis rewrites it as an
 * absolute time for replication), so a bucket keeps its time to live (`KEEPTTL`) while that
 * still covers the time until the bucket is full again, and gets a whole refill period
 * otherwise: a bucket is always full by then, so the key never expires while it holds less than
 * a full bucket. A value that is not a packed state (a hash of an earlier version, or anything
 * else) counts as a full bucket and is overwritten.
 */
export const RATE_LIMIT_SCRIPT = `
local cost = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
if now == nil then
  local time = redis.call('TIME')
  now = time[1] * 1000 + math.floor(time[2] / 1000)
end
local count = #KEYS
-- Per bucket i, at 4 * (i - 1): capacity, refill ms, tokens, updated at (one table, presized).
local b = { 0, 0, 0, 0, 0, 0, 0, 0 }
local allowed, retry = 1, 0
for i = 1, count do
  local k = 4 * (i - 1)
  local capacity = tonumber(ARGV[1 + 2 * i])
  local refill = tonumber(ARGV[2 + 2 * i])
  local available, at = capacity, now
  local stored = redis.pcall('GET', KEYS[i])
  if type(stored) == 'string' and #stored == 16 then
    available, at = struct.unpack('<dd', stored)
    if now > at then
      available = available + (now - at) * capacity / refill
      if available > capacity then available = capacity end
    end
  end
  if at < now then at = now end
  b[k + 1], b[k + 2], b[k + 3], b[k + 4] = capacity, refill, available, at
  if available < cost then
    allowed = 0
    local wait = math.ceil((cost - available) * refill / capacity)
    if wait > retry then retry = wait end
  end
end
local tightest = 0
for i = 1, count do
  local k = 4 * (i - 1)
  if allowed == 1 then b[k + 3] = b[k + 3] - cost end
  if b[k + 3] < b[tightest + 3] then tightest = k end
end
if allowed == 1 then
  for i = 1, count do
    local k = 4 * (i - 1)
    local capacity, tokens = b[k + 1], b[k + 3]
    local state = struct.pack('<dd', tokens, b[k + 4])
    if redis.call('PTTL', KEYS[i]) >= (capacity - tokens) * b[k + 2] / capacity then
      redis.call('SET', KEYS[i], state, 'KEEPTTL')
    else
      local refill = ARGV[2 + 2 * i]
      if string.find(refill, '[^0-9]') then refill = math.ceil(b[k + 2]) end
      redis.call('SET', KEYS[i], state, 'PX', refill)
    end
  end
end
local capacity, left = b[tightest + 1], b[tightest + 3]
local reset = math.ceil((capacity - left) * b[tightest + 2] / capacity)
return { allowed, math.floor(left), capacity, reset, retry }
`;
