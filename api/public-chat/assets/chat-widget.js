// The embed script a site includes to add a chat bubble:
//   <script src="https://kai.example/chat-widget.js" data-chat-id="chat_…" async></script>
// It opens the chat page (/chat/<id>, from the script's own origin) in an iframe; the site must be one of the chat's
// allowed origins, or the page refuses to be framed. A token-mode chat takes data-token (then the site shows it).
'use strict';

(function addChatBubble() {
  const script = document.currentScript;
  const chatId = script?.dataset.chatId;
  if (!chatId) return;
  const page = new URL(`/chat/${encodeURIComponent(chatId)}`, script.src);
  if (script.dataset.token) page.hash = `token=${encodeURIComponent(script.dataset.token)}`;

  const frame = document.createElement('iframe');
  frame.src = page.href;
  frame.title = script.dataset.title ?? 'Chat';
  Object.assign(frame.style, { position: 'fixed', right: '20px', bottom: '84px', width: '360px', height: '520px', maxHeight: '80vh', border: '1px solid #ccd', borderRadius: '12px', background: '#fff', display: 'none', zIndex: '2147483646' });

  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = script.dataset.label ?? 'Chat';
  button.setAttribute('aria-expanded', 'false');
  Object.assign(button.style, { position: 'fixed', right: '20px', bottom: '20px', padding: '14px 18px', border: 'none', borderRadius: '24px', background: '#3b5bdb', color: '#fff', font: '600 15px system-ui, sans-serif', cursor: 'pointer', zIndex: '2147483647' });
  button.addEventListener('click', () => {
    const open = frame.style.display === 'none';
    frame.style.display = open ? 'block' : 'none';
    button.setAttribute('aria-expanded', String(open));
  });

  document.body.append(frame, button);
})();
