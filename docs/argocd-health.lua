-- Argo CD health for stipend.dev resources (Budget, Team, ModelPolicy): Healthy when Ready
-- at the current generation; Progressing until the operator has observed it; Degraded with
-- "reason: message" otherwise (MissingTeam, InvalidSpec, and ReconcileError while Postgres
-- is away). Runs on gopher-lua (Lua 5.1) as Argo CD does: test/operator/health.test.ts.
local hs = { status = "Progressing", message = "Waiting for the operator" }
if obj.status == nil or obj.status.conditions == nil then
  return hs
end
if obj.status.observedGeneration ~= nil and obj.metadata.generation ~= nil
    and obj.status.observedGeneration < obj.metadata.generation then
  return hs
end
for _, c in ipairs(obj.status.conditions) do
  if c.type == "Stalled" and c.status == "True" then
    hs.status = "Degraded"
    hs.message = (c.reason or "") .. ": " .. (c.message or "")
    return hs
  end
  if c.type == "Ready" then
    if c.status == "True" then
      hs.status = "Healthy"
      hs.message = c.message or ""
    else
      hs.status = "Degraded"
      hs.message = (c.reason or "") .. ": " .. (c.message or "")
    end
  end
end
return hs
