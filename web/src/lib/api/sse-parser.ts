/** One Server-Sent Event as the run stream sends it. */
export interface SseEvent {
  id: string | null;
  type: string;
  data: string;
}

/**
 * Splits a Server-Sent Events byte stream, fed in arbitrary chunks, into events (per the HTML standard: fields
 * per line, a blank line ends an event, `:` lines are comments). The run stream needs a header, so the browser's
 * EventSource cannot be used.
 */
export class SseParser {
  private buffer = '';
  private id: string | null = null;
  private type = '';
  private data: string[] = [];

  push(chunk: string): SseEvent[] {
    this.buffer += chunk;
    const events: SseEvent[] = [];
    let newline: number;
    while ((newline = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.buffer.slice(0, newline);
      const width = this.buffer.startsWith('\r\n', newline) ? 2 : 1;
      // A lone \r at the end of a chunk may be half of \r\n: wait for the next chunk.
      if (width === 1 && this.buffer[newline] === '\r' && newline === this.buffer.length - 1) break;
      this.buffer = this.buffer.slice(newline + width);
      const event = this.line(line);
      if (event) events.push(event);
    }
    return events;
  }

  private line(line: string): SseEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') this.id = value;
    else if (field === 'event') this.type = value;
    else if (field === 'data') this.data.push(value);
    return undefined;
  }

  private dispatch(): SseEvent | undefined {
    const event = this.data.length > 0 ? { id: this.id, type: this.type || 'message', data: this.data.join('\n') } : undefined;
    this.type = '';
    this.data = [];
    return event;
  }
}
