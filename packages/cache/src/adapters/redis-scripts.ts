/**
 * KEYS: the value, then the generation keys of its fields, in order. ARGV: payload, ttl ms, the
 * fields joined by spaces. Stores `<fields>\n<stamp>\n<payload>` with the current generations as
 * the stamp. Reading the generations and storing the value must be atomic only when the caller has
 * no stamp of its own (a plain `set`), so that is the only value operation that runs a script.
 */
export const WRITE_SCRIPT = `
local stamp = ''
if #KEYS > 1 then
  local generations = redis.call('MGET', unpack(KEYS, 2))
  for i = 1, #generations do generations[i] = generations[i] or '0' end
  stamp = table.concat(generations, ',')
end
redis.call('SET', KEYS[1], ARGV[3] .. '\\n' .. stamp .. '\\n' .. ARGV[1], 'PX', ARGV[2])
return 1
`;

/** KEYS: generation keys. Increments each and returns their new values, in order. */
export const BUMP_SCRIPT = `
local out = {}
for i = 1, #KEYS do out[i] = redis.call('INCR', KEYS[i]) end
return out
`;

/** KEYS: lock. ARGV: token. Deletes the lock only while the token holds it. */
export const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
