-- wrk script for bench/search.sh: POST /api/v1/search, rotating over a set of prepared JSON bodies.
-- Usage: wrk ... -s bench/search.lua http://host:port -- <bodies file> <api-key> [path]
--   <bodies file>  one complete JSON request body per line (search.sh writes it from bench/eval/questions.json)
--   <api-key>      sent as X-Api-Key
--   [path]         default /api/v1/search
-- Each thread starts at a different offset so the threads do not send the same query in lock step.
-- done() prints, for the shell script to pick up:
--   LATENCY_MS p50=<ms> p90=<ms> p99=<ms> max=<ms> mean=<ms>   (wrk's histogram, the one --latency prints)
--   STATUS <code> <count> and SAMPLE <code> <body> lines        (see wrk-status.lua)
dofile((debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "") .. "wrk-status.lua")

local prepared = {}
local i = 0

function init(args)
   local file = args[1] or error("usage: -- <bodies file> <api-key> [path]")
   local headers = {
      ["Content-Type"] = "application/json",
      ["Accept"] = "application/json",
      ["X-Api-Key"] = args[2] or "",
   }
   local path = args[3] or "/api/v1/search"
   local f = assert(io.open(file, "r"))
   for line in f:lines() do
      if line:match("^%s*{") then
         -- Formatted once here, so request() costs nothing but a table lookup.
         prepared[#prepared + 1] = wrk.format("POST", path, headers, line)
      end
   end
   f:close()
   assert(#prepared > 0, "no JSON bodies in " .. file)
   i = ((tonumber(thread_no) or 1) - 1) * 7 % #prepared
end

function request()
   i = i % #prepared + 1
   return prepared[i]
end

function done(summary, latency, requests)
   -- wrk keeps latencies in microseconds.
   io.write(string.format("LATENCY_MS p50=%.2f p90=%.2f p99=%.2f max=%.2f mean=%.2f\n",
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
      latency.max / 1000, latency.mean / 1000))
   write_statuses()
end
