-- wrk script for bench/progress.sh: requests as one learner (X-Api-Key), counting responses per status code.
-- Usage:
--   wrk ... -s bench/progress.lua http://host:port -- upsert <api-key> <file with one chapter UUID per line>
--       PUT /api/v1/me/progress/chapters/{random seeded chapter} with a random percent (0-100), a random
--       section offset, timeSpentSeconds 1 and a fresh random UUID-shaped eventId per request.
--   wrk ... -s bench/progress.lua http://host:port -- get <api-key> <path>
--       GET <path> (e.g. /api/v1/me/reviews/due?limit=20) on every request.
--   wrk ... -s bench/progress.lua http://host:port -- review <api-key> <file with one review item UUID per line> plain|keyed
--       POST /api/v1/me/review-items/{random item}/reviews with a random rating; "keyed" adds a fresh random
--       Idempotency-Key to every request (each one claimed, run and kept: the header's full cost).
-- done() prints one line "STATUS <code> <count>" per status code seen, and "SAMPLE <code> <body>" with the
-- first body of each status >= 300, for the shell script to pick up (see wrk-status.lua).
dofile((debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "") .. "wrk-status.lua")

local mode, key, path, keyed
local chapters = {}
local ratings = { "again", "hard", "good", "easy" }

function init(args)
   mode = args[1] or "get"
   key = args[2] or ""
   if mode == "upsert" or mode == "review" then
      keyed = args[4] == "keyed"
      local f = assert(io.open(args[3], "r"))
      for line in f:lines() do
         if line:match("^%x+%-") then chapters[#chapters + 1] = line end
      end
      f:close()
      assert(#chapters > 0, "no ids in " .. tostring(args[3]))
   else
      path = args[3] or "/api/v1/me/reviews/due?limit=20"
   end
   -- A different sequence per thread (and per run).
   math.randomseed(os.time() * 1000 + (tonumber(thread_no) or 0) * 7919)
   for _ = 1, 10 do math.random() end
end

local hex = "0123456789abcdef"
local function h(n)
   local t = {}
   for k = 1, n do
      local r = math.random(1, 16)
      t[k] = hex:sub(r, r)
   end
   return table.concat(t)
end

-- A version-4-shaped UUID (the service only parses it; randomness from math.random is enough here).
local function uuid()
   local r = math.random(9, 12)
   local v = hex:sub(r, r) -- 8, 9, a or b
   return h(8) .. "-" .. h(4) .. "-4" .. h(3) .. "-" .. v .. h(3) .. "-" .. h(12)
end

local headers_json = nil

function request()
   if mode == "upsert" then
      headers_json = headers_json or { ["X-Api-Key"] = key, ["Content-Type"] = "application/json", ["Accept"] = "application/json" }
      local chapter = chapters[math.random(1, #chapters)]
      local body = string.format(
         '{"percent":%d,"position":{"sectionNumber":1,"offset":%d},"timeSpentSeconds":1,"eventId":"%s"}',
         math.random(0, 100), math.random(0, 5000), uuid())
      return wrk.format("PUT", "/api/v1/me/progress/chapters/" .. chapter, headers_json, body)
   end
   if mode == "review" then
      local headers = { ["X-Api-Key"] = key, ["Content-Type"] = "application/json", ["Accept"] = "application/json" }
      if keyed then headers["Idempotency-Key"] = uuid() end
      local body = string.format('{"rating":"%s"}', ratings[math.random(1, #ratings)])
      return wrk.format("POST", "/api/v1/me/review-items/" .. chapters[math.random(1, #chapters)] .. "/reviews", headers, body)
   end
   headers_json = headers_json or { ["X-Api-Key"] = key, ["Accept"] = "application/json" }
   return wrk.format("GET", path, headers_json)
end

function done(summary, latency, requests)
   write_statuses()
end
