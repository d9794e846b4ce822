// The supervisor console served at /supervisor/: the live queue board (polled every 3 s),
// outcomes over a period as charts, and conversation search with transcripts. Read-only.
import '../shared/staff.css';
import './styles.css';
import { h, required } from '../shared/dom.ts';
import { formatTime } from '../shared/format.ts';
import { renderLoginForm } from '../shared/login-form.ts';
import { ApiError, requestJson, SIGNED_OUT_CODES, StaffAuth, staffErrorText } from '../shared/staff-session.ts';
import type { Guard } from '../shared/guard.ts';
import { boardSummary, renderAgents, renderQueues, WaitingHistory } from './board-view.ts';
import { renderResults, renderTranscriptView } from './conversations-view.ts';
import { renderCsat, renderHandoffReasons, renderKpis, renderResolution, renderVariants } from './stats-view.ts';
import { BoardGuard, ConversationPageGuard, ConversationViewGuard, StatsGuard, STATUSES } from './wire.ts';

const BOARD_EVERY_MS = 3000;
const STATS_EVERY_MS = 15000;
type View = 'live' | 'performance' | 'conversations';

class SupervisorConsole {
  private readonly auth = new StaffAuth(sessionStorage, 'switchboard.staff.supervisor');
  private readonly history = new WaitingHistory();
  private view: View = 'live';
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private running = false;
  private selected: string | null = null;
  private searchSeq = 0;

  private readonly loginRoot = required(document, '[data-testid="login-root"]', HTMLElement);
  private readonly console = required(document, '[data-testid="console"]', HTMLElement);
  private readonly tabs = [...document.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
  private readonly freshness = required(document, '[data-testid="freshness"]', HTMLElement);
  private readonly userName = required(document, '[data-testid="user-name"]', HTMLElement);
  private readonly summary = required(document, '[data-testid="board-summary"]', HTMLElement);
  private readonly queueBoard = required(document, '[data-testid="queue-board"]', HTMLElement);
  private readonly agentBoard = required(document, '[data-testid="agent-board"]', HTMLElement);
  private readonly period = required(document, '[data-testid="period"]', HTMLSelectElement);
  private readonly statsUpdated = required(document, '[data-testid="stats-updated"]', HTMLElement);
  private readonly kpis = required(document, '[data-testid="kpis"]', HTMLElement);
  private readonly liveKpis = required(document, '[data-testid="live-kpis"]', HTMLElement);
  private readonly stats = required(document, '[data-testid="stats"]', HTMLElement);
  private readonly searchForm = required(document, '[data-testid="search-form"]', HTMLFormElement);
  private readonly searchInput = required(document, '[data-testid="search-input"]', HTMLInputElement);
  private readonly searchStatus = required(document, '[data-testid="search-status"]', HTMLSelectElement);
  private readonly results = required(document, '[data-testid="search-results-panel"]', HTMLElement);
  private readonly transcriptPanel = required(document, '[data-testid="transcript-panel"]', HTMLElement);

  constructor() {
    for (const tab of this.tabs) tab.addEventListener('click', () => this.show(tab.dataset.view as View));
    required(document, '[role="tablist"]', HTMLElement).addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
      const i = this.tabs.findIndex((t) => t.dataset.view === this.view);
      const next = this.tabs[(i + (e.key === 'ArrowRight' ? 1 : this.tabs.length - 1)) % this.tabs.length]!;
      this.show(next.dataset.view as View);
      next.focus();
    });
    required(document, '[data-testid="sign-out"]', HTMLButtonElement).addEventListener('click', () => this.signOut(null));
    this.period.addEventListener('change', () => void this.loadStats());
    this.searchForm.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.search();
    });
    let debounce: ReturnType<typeof setTimeout> | null = null;
    this.searchInput.addEventListener('input', () => {
      if (debounce) clearTimeout(debounce);
      debounce = setTimeout(() => void this.search(), 350);
    });
    this.searchStatus.addEventListener('change', () => void this.search());
  }

  boot(): void {
    if (this.auth.current) this.open();
    else this.showLogin(null);
  }

  private showLogin(notice: string | null): void {
    this.console.hidden = true;
    this.loginRoot.hidden = false;
    this.loginRoot.replaceChildren(renderLoginForm({ auth: this.auth, product: 'Supervisor console', roles: ['supervisor', 'admin'], notice, onSignedIn: () => this.open() }));
  }

  private open(): void {
    this.loginRoot.replaceChildren();
    this.loginRoot.hidden = true;
    this.console.hidden = false;
    this.userName.textContent = this.auth.current?.principal.name ?? '';
    this.running = true;
    this.show(this.view);
    void this.pollBoard();
    void this.pollStats();
    void this.search();
  }

  private signOut(notice: string | null): void {
    this.running = false;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.auth.signOut();
    this.showLogin(notice);
  }

  private show(view: View): void {
    this.view = view;
    for (const tab of this.tabs) {
      const on = tab.dataset.view === view;
      tab.setAttribute('aria-selected', String(on));
      tab.tabIndex = on ? 0 : -1;
      const panel = document.getElementById(tab.getAttribute('aria-controls') ?? '');
      if (panel) panel.hidden = !on;
    }
    if (view === 'performance' && this.running) void this.loadStats();
    if (view === 'live' && this.running) void this.loadToday();
  }

  private async get<T>(path: string, guard: Guard<T>): Promise<T | null> {
    const token = this.auth.current?.accessToken;
    if (!token) {
      this.signOut(staffErrorText('AUTH_TOKEN_EXPIRED'));
      return null;
    }
    try {
      return await requestJson(path, guard, { token });
    } catch (err) {
      if (err instanceof ApiError && (SIGNED_OUT_CODES.has(err.code) || err.code === 'AUTH_FORBIDDEN')) {
        this.signOut(staffErrorText(err.code));
        return null;
      }
      const code = err instanceof ApiError ? err.code : 'INTERNAL';
      this.freshness.dataset.state = 'retrying';
      this.freshness.textContent = code === 'OFFLINE' ? 'Appliance unreachable — retrying' : `Problem loading data (${code})`;
      if (!(err instanceof ApiError)) console.error('supervisor console:', err);
      return null;
    }
  }

  private schedule(fn: () => Promise<void>, ms: number): void {
    if (!this.running) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      void fn();
    }, ms);
    this.timers.add(t);
  }

  private async pollBoard(): Promise<void> {
    const board = await this.get('/v1/supervisor/board', BoardGuard);
    if (!this.running) return;
    if (board) {
      this.history.add(board);
      this.summary.textContent = boardSummary(board);
      this.queueBoard.replaceChildren(renderQueues(board, this.history));
      this.agentBoard.replaceChildren(renderAgents(board));
      this.freshness.dataset.state = 'open';
      this.freshness.textContent = `Live · ${new Date(board.generatedAt || Date.now()).toLocaleTimeString()}`;
    }
    this.schedule(() => this.pollBoard(), BOARD_EVERY_MS);
  }

  private async pollStats(): Promise<void> {
    if (this.view === 'performance') await this.loadStats();
    else if (this.view === 'live') await this.loadToday();
    this.schedule(() => this.pollStats(), STATS_EVERY_MS);
  }

  private async loadStats(): Promise<void> {
    const hours = Number(this.period.value) || 24;
    const to = new Date();
    const from = new Date(to.getTime() - hours * 3600_000);
    const stats = await this.get(`/v1/supervisor/stats?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`, StatsGuard);
    if (!stats || !this.running) return;
    this.kpis.replaceChildren(renderKpis(stats));
    this.stats.replaceChildren(renderResolution(stats), renderCsat(stats), renderHandoffReasons(stats), renderVariants(stats));
    this.statsUpdated.textContent = `Updated ${formatTime(to.toISOString())}`;
  }

  /** The live board's row of figures: always the last 24 hours. */
  private async loadToday(): Promise<void> {
    const to = new Date();
    const from = new Date(to.getTime() - 24 * 3600_000);
    const stats = await this.get(`/v1/supervisor/stats?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`, StatsGuard);
    if (stats && this.running) this.liveKpis.replaceChildren(renderKpis(stats));
  }

  private async search(): Promise<void> {
    const seq = ++this.searchSeq;
    const params = new URLSearchParams({ limit: '50' });
    const q = this.searchInput.value.trim();
    if (q) params.set('q', q);
    const status = STATUSES.find((s) => s === this.searchStatus.value);
    if (status) params.set('status', status);
    const page = await this.get(`/v1/conversations?${params}`, ConversationPageGuard);
    if (!page || seq !== this.searchSeq) return;
    this.results.replaceChildren(renderResults(page.items, page.total, this.selected, (id) => void this.openConversation(id)));
  }

  private async openConversation(id: string): Promise<void> {
    this.selected = id;
    for (const row of this.results.querySelectorAll<HTMLElement>('[data-conversation-id]')) row.setAttribute('aria-selected', String(row.dataset.conversationId === id));
    this.transcriptPanel.replaceChildren(h('p', { class: 'empty' }, 'Loading…'));
    const view = await this.get(`/v1/conversations/${encodeURIComponent(id)}`, ConversationViewGuard);
    if (!view || this.selected !== id) return;
    this.transcriptPanel.replaceChildren(
      renderTranscriptView(view, () => {
        this.selected = null;
        this.transcriptPanel.replaceChildren(h('p', { class: 'empty' }, 'Pick a conversation to read its transcript.'));
        for (const row of this.results.querySelectorAll<HTMLElement>('[data-conversation-id]')) row.setAttribute('aria-selected', 'false');
      }),
    );
  }
}

new SupervisorConsole().boot();
