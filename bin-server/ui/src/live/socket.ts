export type LiveState = 'connecting' | 'open' | 'reconnecting';

export interface LiveHandlers<M> {
  onMessage(message: M): void;
  onState(state: LiveState): void;
  /** Called when a connection opens again after a drop: refetch whatever may have been missed. */
  onResync(): void;
}

/**
 * A WebSocket to `/ws?<query>` that reconnects by itself (exponential backoff with jitter, capped
 * at 10 s; at once when the browser comes back online). Messages are JSON metadata; bodies are
 * fetched over the API.
 */
export class LiveSocket<M> {
  private socket: WebSocket | undefined;
  private retries = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private resyncTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private everOpened = false;
  private readonly onOnline = () => this.reconnectNow();

  constructor(
    private readonly query: string,
    private readonly handlers: LiveHandlers<M>,
  ) {}

  start(): void {
    window.addEventListener('online', this.onOnline);
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener('online', this.onOnline);
    clearTimeout(this.timer);
    clearTimeout(this.resyncTimer);
    this.socket?.close(1000, 'viewer left');
    this.socket = undefined;
  }

  private connect(): void {
    if (this.stopped) return;
    this.handlers.onState(this.everOpened ? 'reconnecting' : 'connecting');
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${location.host}/ws?${this.query}`);
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.retries = 0;
      this.handlers.onState('open');
      if (this.everOpened) this.handlers.onResync();
      this.everOpened = true;
    };
    socket.onmessage = (event: MessageEvent) => {
      if (this.socket !== socket || typeof event.data !== 'string') return;
      let message: M;
      try {
        message = JSON.parse(event.data) as M;
      } catch {
        return; // Not ours: ignore rather than break the view.
      }
      // A change that reached the server only as a notice (several instances behind a load
      // balancer): refetch, once for a burst of them.
      if ((message as { type?: unknown } | null)?.type === 'refetch') this.resyncSoon();
      else this.handlers.onMessage(message);
    };
    socket.onclose = () => {
      if (this.socket !== socket || this.stopped) return;
      this.socket = undefined;
      this.handlers.onState('reconnecting');
      const delay = Math.min(10_000, 500 * 2 ** this.retries) * (0.5 + Math.random() / 2);
      this.retries += 1;
      this.timer = setTimeout(() => this.connect(), delay);
    };
  }

  private resyncSoon(): void {
    this.resyncTimer ??= setTimeout(() => {
      this.resyncTimer = undefined;
      if (!this.stopped) this.handlers.onResync();
    }, 250);
  }

  private reconnectNow(): void {
    if (this.stopped || this.socket?.readyState === WebSocket.OPEN) return;
    clearTimeout(this.timer);
    this.socket?.close();
    this.socket = undefined;
    this.connect();
  }
}
