/** Builds the stamp of a list of generation fields from the scope's generation hash. */
const STAMP = `
local function stamp(meta, fields)
  if #fields == 0 then return '' end
  local values = redis.call('HMGET', meta, unpack(fields))
  for i = 1, #fields do values[i] = values[i] or '0' end
  return table.concat(values, ',')
end
`;

/**
 * KEYS: value, generations. ARGV: the requested fields. Returns
 * `{found, payload, current stamp, stored fields}` in one round trip.
 */
export const READ_SCRIPT = `${STAMP}
local current = stamp(KEYS[2], ARGV)
local stored = redis.call('HMGET', KEYS[1], 'p', 'f', 's')
if not stored[1] then return {0, '', current, ''} end
-- A value written with exactly the requested fields needs no second look at the generations.
if stored[2] == table.concat(ARGV, ' ') then
  if current ~= stored[3] then return {0, '', current, ''} end
  return {1, stored[1], current, stored[2]}
end
local fields = {}
for field in string.gmatch(stored[2], '%S+') do fields[#fields + 1] = field end
if stamp(KEYS[2], fields) ~= stored[3] then return {0, '', current, ''} end
return {1, stored[1], current, stored[2]}
`;

/**
 * KEYS: value, generations. ARGV: payload, ttl ms, expected stamp, whether it is checked, fields.
 * Returns 1 when written, 0 when a generation moved since the expected stamp.
 */
export const WRITE_SCRIPT = `${STAMP}
local fields = {}
for i = 5, #ARGV do fields[#fields + 1] = ARGV[i] end
local current = stamp(KEYS[2], fields)
if ARGV[4] == '1' and ARGV[3] ~= current then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'p', ARGV[1], 'f', table.concat(fields, ' '), 's', current)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;

/** KEYS: generations. ARGV: fields. Returns their new generations. */
export const BUMP_SCRIPT = `
local out = {}
for i = 1, #ARGV do out[i] = redis.call('HINCRBY', KEYS[1], ARGV[i], 1) end
return out
`;

/** KEYS: lock. ARGV: token. Deletes the lock only while the token holds it. */
export const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
