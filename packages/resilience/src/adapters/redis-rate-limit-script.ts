/**
 * The token-bucket decision of `decideTokenBuckets`, in Lua so it runs atomically on Redis.
 * KEYS: one hash per bucket (fields `t` tokens, `u` updated at).
 * ARGV: cost, now in ms (empty for Redis server time), then capacity and refill ms per bucket.
 * Returns allowed (0/1), remaining, limit, reset ms and retry-after ms.
 */
export const RATE_LIMIT_SCRIPT = `
local cost = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
if now == nil then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
local count = #KEYS
local tokens, updated, capacities, refills = {}, {}, {}, {}
local allowed = 1
local retry = 0
for i = 1, count do
  local capacity = tonumber(ARGV[1 + 2 * i])
  local refill = tonumber(ARGV[2 + 2 * i])
  capacities[i] = capacity
  refills[i] = refill
  local stored = redis.call('HMGET', KEYS[i], 't', 'u')
  local available = tonumber(stored[1])
  local at = tonumber(stored[2])
  if available == nil or at == nil then
    available = capacity
    at = now
  elseif now > at then
    available = math.min(capacity, available + (now - at) * capacity / refill)
  end
  tokens[i] = available
  updated[i] = math.max(now, at)
  if available < cost then
    allowed = 0
    local wait = math.ceil((cost - available) * refill / capacity)
    if wait > retry then retry = wait end
  end
end
local tightest = 1
for i = 1, count do
  if allowed == 1 then tokens[i] = tokens[i] - cost end
  if tokens[i] < tokens[tightest] then tightest = i end
end
if allowed == 1 then
  for i = 1, count do
    redis.call('HSET', KEYS[i], 't', tostring(tokens[i]), 'u', tostring(updated[i]))
    local full = math.ceil((capacities[i] - tokens[i]) * refills[i] / capacities[i])
    redis.call('PEXPIRE', KEYS[i], math.max(1, full))
  end
end
local left = tokens[tightest]
local reset = math.ceil((capacities[tightest] - left) * refills[tightest] / capacities[tightest])
return { allowed, math.floor(left), capacities[tightest], reset, retry }
`;
