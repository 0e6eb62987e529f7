-- wrk script: web submissions, each a real one — the idea form fetched (its signed one-time
-- token), then posted with it. One connection per thread (run with -c equal to -t): a thread
-- posts the token its own last GET received. Each submission claims its own client address in
-- X-Forwarded-For (the server runs --trusted-proxy 127.0.0.1, as behind nginx), so the per-address
-- limit is not what is measured. Prints the submissions stored (303) and refused.
local threads = {}
local id = 0

function setup(thread)
  id = id + 1
  thread:set("id", id)
  table.insert(threads, thread)
end

function init(args)
  state, n, stored, refused = nil, 0, 0, 0
end

local fields = {
  title = "Des bancs à l'ombre",
  description = "Des bancs sous les arbres de la place, près de l'aire de jeux.",
  theme = "cadre-de-vie",
  neighbourhood = "centre",
}

function request()
  if state == nil then
    return wrk.format("GET", "/c/budget-participatif-2027/idee")
  end
  n = n + 1
  local body = "--b\r\nContent-Disposition: form-data; name=\"state\"\r\n\r\n" .. state .. "\r\n"
  for k, v in pairs(fields) do
    body = body .. "--b\r\nContent-Disposition: form-data; name=\"" .. k .. "\"\r\n\r\n" .. v .. "\r\n"
  end
  body = body .. "--b--\r\n"
  state = nil
  local headers = {
    ["Content-Type"] = "multipart/form-data; boundary=b",
    ["X-Forwarded-For"] = string.format("10.%d.%d.%d", id, math.floor(n / 256) % 256, n % 256),
  }
  return wrk.format("POST", "/c/budget-participatif-2027/idee", headers, body)
end

function response(status, headers, body)
  if status == 200 then
    state = body:match('name="state" value="([^"]+)"')
  elseif status == 303 then
    stored = stored + 1
  else
    refused = refused + 1
  end
end

function done(summary, latency, requests)
  local s, r = 0, 0
  for _, t in ipairs(threads) do
    s = s + t:get("stored")
    r = r + t:get("refused")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("submissions stored: %d (%.0f/s), refused: %d\n", s, s / seconds, r))
end
