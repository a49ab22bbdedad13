-- wrk script: GET one chapter per request, rotating over all seeded chapters (ch-1 .. ch-N).
-- Usage: wrk ... -s bench/chapter.lua http://host:port -- <chapters> <book-slug>
-- Each wrk thread starts at a different offset so the threads do not walk the same chapter in lock step.
local paths = {}
local i = 0
local threads = 0

function setup(thread)
   thread:set("offset", threads * 7919)
   threads = threads + 1
end

function init(args)
   local n = tonumber(args[1] or "200")
   local book = args[2] or "bench-book"
   for k = 1, n do
      paths[k] = "/api/v1/books/" .. book .. "/chapters/ch-" .. k
   end
   i = (tonumber(offset) or 0) % n
end

function request()
   i = i % #paths + 1
   return wrk.format("GET", paths[i], { ["Accept"] = "application/json" })
end
