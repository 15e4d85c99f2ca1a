-- Test driver for Neovim (0.7+), loaded after the README's init block with `-c 'luafile …'`.
-- test/editors/neovim.test.ts calls these functions over --remote-expr:
--   luaeval('ThroughlineTest.call(_A)', '{"fn":"diagnostics","args":["/tmp/…/x.md"],"out":"/tmp/…/reply.json"}')
-- Each call writes JSON to `out`: {"ok":true,"result":…} or {"ok":false,"error":"…"}.
-- The driver only observes and presses keys; the behaviour under test is the README block's.
local T = {}
_G.ThroughlineTest = T

local function buffer_of(path)
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_get_name(bufnr) == path then
      return bufnr
    end
  end
  return nil
end

-- Runs request.fn(unpack(request.args)) and writes the JSON reply to request.out (a reply on
-- --remote-expr's output is cut when it is longer than the screen).
function T.call(request_json)
  local request = vim.fn.json_decode(request_json)
  local reply
  local fn = T[request.fn]
  if not fn then
    reply = { ok = false, error = 'no driver function ' .. tostring(request.fn) }
  else
    local ok, result = pcall(fn, unpack(request.args or {}))
    if not ok then
      reply = { ok = false, error = tostring(result) }
    else
      if result == nil then
        result = vim.NIL
      end
      reply = { ok = true, result = result }
    end
  end
  local file = assert(io.open(request.out, 'w'))
  file:write(vim.fn.json_encode(reply))
  file:close()
  return 'written'
end

-- Every publishDiagnostics the client handles, as {uri, code, severity, message} in order: what
-- the author saw on the way, not only where it ended. Recorded by wrapping Neovim's own handler,
-- which still does all the work.
local published = {}
local publish_handler = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
  if result and result.diagnostics then
    for _, d in ipairs(result.diagnostics) do
      table.insert(published, { uri = result.uri, code = d.code or vim.NIL, severity = d.severity or vim.NIL, message = d.message })
    end
  end
  return publish_handler(err, result, ctx, config)
end

-- The severities `code` was published with in `path`, in order, for messages starting with `message_start`.
function T.published_severities(path, code, message_start)
  local uri = vim.uri_from_fname(path)
  local result = {}
  for _, entry in ipairs(published) do
    if entry.uri == uri and entry.code == code and entry.message:sub(1, #message_start) == message_start then
      table.insert(result, entry.severity)
    end
  end
  return result
end

-- Opens `path` in the window (keeping a modified current buffer, as with 'hidden').
function T.edit(path)
  local bufnr = buffer_of(path)
  if bufnr and vim.api.nvim_buf_is_loaded(bufnr) then
    vim.cmd('hide buffer ' .. bufnr)
  else
    vim.cmd('hide edit ' .. vim.fn.fnameescape(path))
  end
  return vim.api.nvim_get_current_buf()
end

function T.set_cursor(line, col)
  vim.api.nvim_win_set_cursor(0, { line, col })
end

-- Keys as typed (mappings apply), queued like user input.
function T.input(keys)
  vim.api.nvim_input(keys)
end

function T.state()
  local cursor = vim.api.nvim_win_get_cursor(0)
  return {
    file = vim.api.nvim_buf_get_name(0),
    line = cursor[1],
    col = cursor[2],
    text = vim.api.nvim_get_current_line(),
    mode = vim.api.nvim_get_mode().mode,
    filetype = vim.bo.filetype,
    omnifunc = vim.bo.omnifunc,
    modified = vim.bo.modified,
  }
end

function T.lines(path)
  local bufnr = buffer_of(path)
  if not bufnr or not vim.api.nvim_buf_is_loaded(bufnr) then
    return vim.NIL
  end
  return vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
end

function T.diagnostics(path)
  local bufnr = buffer_of(path)
  local result = {}
  if not bufnr then
    return result
  end
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = (d.user_data and d.user_data.lsp) or {}
    table.insert(result, {
      line = d.lnum,
      col = d.col,
      severity = d.severity,
      message = d.message,
      code = lsp.code or d.code or vim.NIL,
    })
  end
  return result
end

function T.clients()
  local result = {}
  for _, client in ipairs(vim.lsp.get_active_clients()) do
    local buffers = {}
    for _, bufnr in ipairs(vim.lsp.get_buffers_by_client_id(client.id)) do
      table.insert(buffers, vim.api.nvim_buf_get_name(bufnr))
    end
    table.insert(result, {
      id = client.id,
      name = client.name,
      root = client.config.root_dir or vim.NIL,
      initialized = client.initialized == true,
      buffers = buffers,
    })
  end
  return result
end

function T.completion()
  local info = vim.fn.complete_info({ 'pum_visible', 'items', 'selected', 'mode' })
  local words = {}
  for _, item in ipairs(info.items or {}) do
    table.insert(words, item.word)
  end
  return { visible = info.pum_visible == 1, selected = info.selected, mode = info.mode, words = words }
end

function T.floats()
  local result = {}
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= '' then
      local lines = vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(win), 0, -1, false)
      table.insert(result, table.concat(lines, '\n'))
    end
  end
  return result
end

function T.close_floats()
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= '' then
      vim.api.nvim_win_close(win, true)
    end
  end
end

function T.rename(new_name)
  vim.lsp.buf.rename(new_name)
end

-- Runs vim.lsp.buf.code_action() and answers its vim.ui.select menu like a user would: with the
-- first entry whose title starts with `title_prefix`. The titles offered are kept for T.offered().
T.offered_titles = vim.NIL
function T.code_action(title_prefix)
  T.offered_titles = vim.NIL
  vim.ui.select = function(items, opts, on_choice)
    local titles = {}
    for i, item in ipairs(items) do
      local title = opts.format_item and opts.format_item(item) or tostring(item)
      titles[i] = title
    end
    T.offered_titles = titles
    for i, title in ipairs(titles) do
      if vim.startswith(title, title_prefix) then
        on_choice(items[i], i)
        return
      end
    end
    on_choice(nil, nil)
  end
  vim.lsp.buf.code_action()
end

function T.offered()
  return T.offered_titles
end

function T.write_all()
  vim.cmd('silent wall')
end

function T.messages()
  return vim.fn.execute('messages')
end

function T.lsp_log_tail()
  local path = vim.lsp.get_log_path()
  local file = io.open(path, 'r')
  if not file then
    return ''
  end
  local text = file:read('*a')
  file:close()
  return text:sub(-4000)
end
