;;; driver.el --- Test driver for Emacs, loaded after the README's eglot block  -*- lexical-binding: t; -*-

;; test/editors/emacs.test.ts starts `emacs -Q --fg-daemon=SOCKET -l <README block> -l driver.el'
;; and calls these functions with `emacsclient -s SOCKET --eval':
;;   (throughline-test-call "{\"fn\":\"diagnostics\",\"args\":[\"/tmp/…/x.md\"]}")
;; which returns the JSON reply {"ok":true,"result":…} or {"ok":false,"error":"…"}, base64-encoded
;; (so that no character is lost in emacsclient's printing).
;;
;; User actions go through `execute-kbd-macro', i.e. through the command loop with its
;; pre/post-command hooks, as if typed: `C-x C-f' runs `eglot-ensure''s connection, `C-M-i' runs
;; `completion-at-point', `M-.' `xref-find-definitions', and so on. The driver only observes.

;;; Code:

(require 'cl-lib)
(require 'subr-x)
(require 'flymake)
(require 'eglot)

(setq inhibit-message nil
      make-backup-files nil
      auto-save-default nil
      create-lockfiles nil
      ;; Answer "yes" to nothing by accident: a question fails the step instead.
      use-short-answers t)

(defun throughline-test--window-buffer ()
  (window-buffer (selected-window)))

(defun throughline-test--buffer (file)
  (or (find-buffer-visiting file) (error "No buffer visits %s" file)))

(defun throughline-test--json (value)
  (base64-encode-string (encode-coding-string (json-serialize value) 'utf-8) t))

(defun throughline-test-call (request)
  "Run the driver function REQUEST names; return its base64 JSON reply."
  (let* ((parsed (json-parse-string request :object-type 'plist :array-type 'list))
         (name (plist-get parsed :fn))
         (args (plist-get parsed :args))
         (fn (intern-soft (concat "throughline-test-" name))))
    (throughline-test--json
     (condition-case err
         (progn
           (unless (fboundp fn) (error "No driver function %s" name))
           (let ((result (apply fn args)))
             (list :ok t :result (if (null result) :null result))))
       (error (list :ok :false :error (error-message-string err)))))))

;;; Actions

(defun throughline-test-keys (keys)
  "Type KEYS (`kbd' syntax) through the command loop."
  (with-current-buffer (throughline-test--window-buffer)
    (execute-kbd-macro (kbd keys)))
  :null)

(defun throughline-test-type (text)
  "Type TEXT literally through the command loop."
  (with-current-buffer (throughline-test--window-buffer)
    (execute-kbd-macro text))
  :null)

(defun throughline-test-goto (line column)
  "Move point to LINE (1-based) and COLUMN (0-based) in the selected window."
  (with-current-buffer (throughline-test--window-buffer)
    (goto-char (point-min))
    (forward-line (1- line))
    (move-to-column column)
    (set-window-point (selected-window) (point)))
  :null)

(defun throughline-test-save-all ()
  (save-some-buffers t)
  :null)

;;; Observations

(defun throughline-test-state ()
  (let* ((window (selected-window))
         (buffer (window-buffer window)))
    (with-current-buffer buffer
      (save-excursion
        (goto-char (window-point window))
        (list :file (or buffer-file-name :null)
              :buffer (buffer-name)
              :line (line-number-at-pos)
              :col (current-column)
              :text (buffer-substring-no-properties (line-beginning-position) (line-end-position))
              :mode (symbol-name major-mode)
              :managed (if (bound-and-true-p eglot--managed-mode) t :false)
              :modified (if (buffer-modified-p) t :false)
              :minibuffer (if (active-minibuffer-window) t :false))))))

(defun throughline-test-server ()
  "The eglot server of the selected window's buffer."
  (with-current-buffer (throughline-test--window-buffer)
    (let ((server (eglot-current-server)))
      (if (not server)
          :null
        (list :name (eglot-project-nickname server)
              :root (expand-file-name (project-root (eglot--project server)))
              :command (vconcat (process-command (jsonrpc--process server)))
              :languageIds (vconcat (eglot--language-ids server))
              :buffers (vconcat (mapcar (lambda (b) (or (buffer-file-name b) (buffer-name b)))
                                        (eglot--managed-buffers server))))))))

(defun throughline-test-lines (file)
  (let ((buffer (find-buffer-visiting file)))
    (if (not buffer)
        :null
      (with-current-buffer buffer
        (vconcat (split-string (buffer-substring-no-properties (point-min) (point-max)) "\n"))))))

(defun throughline-test-diagnostics (file)
  (let ((buffer (find-buffer-visiting file)))
    (if (not buffer)
        []
      (with-current-buffer buffer
        (vconcat
         (mapcar (lambda (diag)
                   (save-excursion
                     (goto-char (flymake-diagnostic-beg diag))
                     (list :line (1- (line-number-at-pos))
                           :col (- (point) (line-beginning-position))
                           :severity (pcase (flymake-diagnostic-type diag)
                                       ('eglot-error 1) ('eglot-warning 2) ('eglot-note 3) (_ 4))
                           :type (format "%s" (flymake-diagnostic-type diag))
                           ;; The server's message (Flymake's text adds "source [code]: ").
                           :message (or (plist-get (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data diag))) :message)
                                        (flymake-diagnostic-text diag))
                           :text (flymake-diagnostic-text diag))))
                 (flymake-diagnostics)))))))

(defun throughline-test-completions ()
  "The *Completions* buffer's text, or nil."
  (let ((buffer (get-buffer "*Completions*")))
    (if (and buffer (get-buffer-window buffer))
        (with-current-buffer buffer (buffer-substring-no-properties (point-min) (point-max)))
      :null)))

(defun throughline-test-eldoc ()
  "The text of ElDoc's documentation buffer (what `M-x eldoc' found), or nil."
  (let ((buffer (and (boundp 'eldoc--doc-buffer) eldoc--doc-buffer)))
    (if (buffer-live-p buffer)
        (with-current-buffer buffer (buffer-substring-no-properties (point-min) (point-max)))
      :null)))

(defun throughline-test-code-action-titles ()
  "Titles of the quick fixes at point (what `eglot-code-action-quickfix' offers)."
  (with-current-buffer (throughline-test--window-buffer)
    (vconcat (mapcar (lambda (action) (list :title (plist-get action :title)
                                            :preferred (if (eq (plist-get action :isPreferred) t) t :false)))
                     (eglot-code-actions (point) (point) "quickfix")))))

(defun throughline-test-messages ()
  (with-current-buffer (messages-buffer)
    (let ((text (buffer-substring-no-properties (point-min) (point-max))))
      (substring text (max 0 (- (length text) 3000))))))

(defun throughline-test-events ()
  "The end of the eglot events buffer of the selected window's server."
  (with-current-buffer (throughline-test--window-buffer)
    (let ((server (eglot-current-server)))
      (if (not server)
          :null
        (with-current-buffer (jsonrpc-events-buffer server)
          (let ((text (buffer-substring-no-properties (point-min) (point-max))))
            (substring text (max 0 (- (length text) 3000)))))))))

(provide 'throughline-test-driver)
;;; driver.el ends here
