-- Neovim (0.7 or later) script of syncvet lsp's editor test
-- (cmd/syncvet/lsp_nvim_test.go). It starts syncvet lsp with the built-in
-- client for the Go buffer it opens, waits for diagnostics, applies the
-- preferred code action (the suggested fix), writes the buffer, waits for
-- the diagnostics to clear, and writes what vim.diagnostic.get() returned
-- at each step, as JSON, to $SYNCVET_NVIM_OUT.
local bin = os.getenv("SYNCVET_BIN")
local root = os.getenv("SYNCVET_NVIM_ROOT")
local file = os.getenv("SYNCVET_NVIM_FILE")
local out = os.getenv("SYNCVET_NVIM_OUT")

local result = { steps = {} }

local function step(msg)
  table.insert(result.steps, msg)
end

-- snapshot returns vim.diagnostic.get() for every buffer, each entry
-- with the name of its buffer's file.
local function snapshot()
  local ds = {}
  for _, d in ipairs(vim.diagnostic.get()) do
    table.insert(ds, {
      file = vim.api.nvim_buf_get_name(d.bufnr),
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      severity = d.severity, message = d.message, source = d.source, code = d.code,
      lsp = d.user_data and d.user_data.lsp or vim.NIL,
    })
  end
  return ds
end

local function finish()
  local f = assert(io.open(out, "w"))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd("qa!")
end

local ok, err = pcall(function()
  vim.cmd("edit " .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({ name = "syncvet", cmd = { bin, "lsp" }, root_dir = root })
  assert(client_id, "vim.lsp.start_client failed")
  vim.lsp.buf_attach_client(bufnr, client_id)

  if not vim.wait(120000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50) then
    error("no diagnostics for " .. file)
  end
  -- The diagnostics of the package's other files come with the same analysis.
  vim.wait(5000, function() return #vim.diagnostic.get() > #vim.diagnostic.get(bufnr) end, 50)
  result.opened = snapshot()
  step("diagnostics")

  local d = vim.diagnostic.get(bufnr)[1]
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = { line = d.lnum, character = 0 }, ["end"] = { line = d.lnum, character = 0 } },
    context = { diagnostics = {} },
  }
  local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/codeAction", params, 10000)
  local titles, applied = {}, false
  for _, resp in pairs(responses or {}) do
    for _, action in ipairs(resp.result or {}) do
      table.insert(titles, action.title)
      if action.isPreferred and not applied then
        vim.lsp.util.apply_workspace_edit(action.edit, "utf-16")
        applied = true
      end
    end
  end
  result.actions = titles
  assert(applied, "no preferred code action")
  step("fixed")

  vim.cmd("write")
  if not vim.wait(120000, function() return #vim.diagnostic.get(bufnr) == 0 end, 50) then
    error("diagnostics not cleared after the fix was saved")
  end
  result.saved = snapshot()
  result.text = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n")
  step("cleared")

  vim.lsp.stop_client(client_id)
  vim.wait(10000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
  step("stopped")
end)
if not ok then
  result.error = tostring(err)
end
finish()
