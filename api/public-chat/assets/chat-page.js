// The public chat page's script (served as is, no build): sends messages to /api/chat/<id> and shows the streamed
// answer. A token-mode chat's token comes in the page's fragment (#token=…), which the browser never sends to a server.
'use strict';

(function startChat() {
  const endpointId = document.body.dataset.endpointId;
  const api = `/api/chat/${encodeURIComponent(endpointId)}/sessions`;
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  const headers = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const storageKey = `kai-chat-session:${endpointId}`;
  const list = document.querySelector('.messages');
  const form = document.querySelector('.composer');
  const status = document.querySelector('.status');

  function bubble(role, text) {
    const item = document.createElement('li');
    item.className = `message ${role}`;
    item.textContent = text;
    list.append(item);
    item.scrollIntoView({ block: 'end' });
    return item;
  }

  async function failure(response) {
    const body = await response.json().catch(() => null);
    return body?.error?.message ?? `the chat answered ${response.status}`;
  }

  async function sessionId() {
    const kept = sessionStorage.getItem(storageKey);
    if (kept) return kept;
    const response = await fetch(api, { method: 'POST', headers, body: '{}' });
    if (!response.ok) throw new Error(await failure(response));
    const { id } = await response.json();
    sessionStorage.setItem(storageKey, id);
    return id;
  }

  /** Shows what a kept session already said, so a reload keeps the conversation. */
  async function showHistory() {
    const kept = sessionStorage.getItem(storageKey);
    if (!kept) return;
    const response = await fetch(`${api}/${kept}`, { headers });
    if (!response.ok) {
      sessionStorage.removeItem(storageKey);
      return;
    }
    for (const message of (await response.json()).messages) {
      bubble('user', message.message);
      bubble('assistant', message.reply ?? message.error ?? '…');
    }
  }

  /** Reads Server-Sent Events off the response body, handing each event's name and parsed data to `onEvent`. */
  async function readEvents(response, onEvent) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffered += value;
      const blocks = buffered.split('\n\n');
      buffered = blocks.pop();
      for (const block of blocks) {
        const fields = Object.fromEntries(block.split('\n').filter((line) => line && !line.startsWith(':')).map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]));
        if (fields.event && fields.data) onEvent(fields.event, JSON.parse(fields.data));
      }
    }
  }

  async function send(message) {
    bubble('user', message);
    const answer = bubble('assistant', '…');
    let answerNode = null;
    let streamed = '';
    const response = await fetch(`${api}/${await sessionId()}/messages`, { method: 'POST', headers, body: JSON.stringify({ message }) });
    if (!response.ok) throw new Error(await failure(response));
    await readEvents(response, (event, data) => {
      if (event === 'chat.message') answerNode = data.answerNode;
      if (event === 'node.live' && data.type === 'llm.token' && (answerNode === null || data.nodeId === answerNode)) {
        streamed += data.data.text;
        answer.textContent = streamed;
      }
      if (event === 'answer') answer.textContent = data.reply ?? data.error ?? 'no answer';
    });
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const field = form.elements.namedItem('message');
    const message = field.value.trim();
    if (!message) return;
    field.value = '';
    form.querySelector('button').disabled = true;
    status.textContent = '';
    send(message)
      .catch((error) => {
        status.textContent = error.message;
      })
      .finally(() => {
        form.querySelector('button').disabled = false;
      });
  });

  showHistory().catch((error) => {
    status.textContent = error.message;
  });
})();
