-- Shared by the wrk scripts (progress.lua, search.lua): per-status response counts across all threads.
-- Load it first thing with
--   dofile((debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "") .. "wrk-status.lua")
-- It defines setup() (numbering the threads: the global thread_no in each, from 1), response() (counting
-- statuses and keeping the first body of each status >= 300) and write_statuses(), for the script's done():
--   STATUS <code> <count>   one line per status code seen
--   SAMPLE <code> <body>    the first body (300 characters, one line) of each status >= 300
local threads = {}
local counter = 0

function setup(thread)
   counter = counter + 1
   thread:set("thread_no", counter)
   table.insert(threads, thread)
end

statuses = {}
samples = {}

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
   if status >= 300 and samples[status] == nil then
      samples[status] = (body or ""):sub(1, 300):gsub("[\r\n]", " ")
   end
end

function write_statuses()
   local total, sample = {}, {}
   for _, t in ipairs(threads) do
      for code, n in pairs(t:get("statuses") or {}) do total[code] = (total[code] or 0) + n end
      for code, b in pairs(t:get("samples") or {}) do sample[code] = sample[code] or b end
   end
   local codes = {}
   for code in pairs(total) do codes[#codes + 1] = code end
   table.sort(codes)
   for _, code in ipairs(codes) do io.write(string.format("STATUS %d %d\n", code, total[code])) end
   for _, code in ipairs(codes) do
      if sample[code] then io.write(string.format("SAMPLE %d %s\n", code, sample[code])) end
   end
end
