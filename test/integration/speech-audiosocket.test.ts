// Asterisk AudioSocket end to end: a fake PBX leg sends synthesized caller speech and DTMF over
// TCP; the appliance answers with the conversation's replies as paced 8 kHz slin audio.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationRecord, Turn } from '../../src/conversation/index.ts';
import { silentLogger } from '../../src/ops/index.ts';
import { AudioSocketKind } from '../../src/speech/audiosocket/protocol.ts';
import { EspeakTts, SpeechConfigSchema } from '../../src/speech/index.ts';
import { startTestAppliance, type TestAppliance } from '../support/appliance.ts';
import { dialAudioSocket, say, silence, startSpeechHarness, waitFor, type SpeechHarness } from '../speech/support.ts';

let t: TestAppliance;
let h: SpeechHarness;
const tts = new EspeakTts(SpeechConfigSchema.parse({}).tts, silentLogger);
let uuidSeq = 0;
const PREFIX_BYTES = 8000 * 2 * 1.5;
const nextUuid = () => `00000000-0000-4000-8000-${String(++uuidSeq).padStart(12, '0')}`;

beforeAll(async () => {
  t = await startTestAppliance();
  h = await startSpeechHarness(t, { pool: { processes: 2, startProcesses: 2, maxStreams: 8 }, voskServer: { enabled: false }, audioSocket: { port: 0, language: 'en', dtmfInterDigitTimeoutMs: 3000 } }, { tts });
});

afterAll(async () => {
  await h?.close();
  await t?.close();
});

/** The voice conversation a call's UUID started. */
function conversationOf(uuid: string): ConversationRecord | undefined {
  const { items } = t.app.conversations.list({ limit: 100, offset: 0 });
  return items.find((c) => c.channel === 'voice' && t.app.db.prepare("SELECT 1 FROM domain_events WHERE aggregate_id = ? AND actor = ?").get(c.id, `pbx:${uuid}`));
}

const turnsOf = (id: string): Turn[] => t.app.conversations.get(id).turns;

/** PCM of `texts` as the call speaks them, each padded to whole 20 ms frames. */
async function spoken(texts: Array<{ text: string; language: 'en' | 'zh' }>): Promise<Buffer> {
  const parts = [];
  for (const { text, language } of texts) {
    const pcm = await tts.synthesize(text, language, 8000);
    const bytes = Buffer.alloc(Math.ceil((pcm.length * 2) / 320) * 320);
    for (let i = 0; i < pcm.length; i++) bytes.writeInt16LE(pcm[i]!, i * 2);
    parts.push(bytes);
  }
  return Buffer.concat(parts);
}

describe('AudioSocket calls', () => {
  it('speaks the welcome at call start, stops it when the caller talks, and speaks the answer to "agent" (handoff)', async () => {
    const uuid = nextUuid();
    const pbx = await dialAudioSocket(h.speech.audioSocketPort!, uuid);
    await waitFor(() => conversationOf(uuid) !== undefined, 5000, 'voice conversation started');
    const conv = conversationOf(uuid)!;
    const welcome = turnsOf(conv.id).filter((x) => x.speaker === 'bot');
    expect(welcome.length).toBeGreaterThan(0);
    const welcomeAudio = await spoken(welcome.map((w) => ({ text: w.text, language: (w.language ?? 'en') as 'en' })));

    // The greeting starts within a moment, as 20 ms frames of 320 bytes.
    await waitFor(() => pbx.received.length >= 10, 5000, 'greeting audio');
    expect(pbx.received.slice(0, 10).every((r) => r.msg.kind === 'audio' && r.msg.pcm.byteLength === 320)).toBe(true);
    const heard = pbx.audio();
    expect(heard.equals(welcomeAudio.subarray(0, heard.byteLength))).toBe(true);

    // Barge-in: the caller says "agent" over the greeting.
    let replyFrom = -1;
    const unsubscribe = t.app.conversations.subscribe(conv.id, () => (replyFrom = pbx.received.length));
    await pbx.speak(Buffer.concat([say('agent'), silence(1200)]), 2);
    await waitFor(() => replyFrom >= 0, 10_000, 'transcript posted');
    unsubscribe();
    expect(pbx.audio(0).byteLength).toBeLessThan(welcomeAudio.byteLength); // the greeting was cut off

    const turns = turnsOf(conv.id);
    const customer = turns.filter((x) => x.speaker === 'customer');
    expect(customer.map((x) => x.text)).toEqual(['agent']);
    expect(customer[0]!.intent).toBe('agent.request');
    expect(t.app.conversations.record(conv.id).handoff).not.toBeNull();

    // The bot's reply comes back as audio: exactly the synthesized reply, frame for frame
    // (its first 1.5 s; playback is real time).
    const replies = turns.filter((x) => x.speaker === 'bot' && x.seq > customer[0]!.seq);
    expect(replies.length).toBeGreaterThan(0);
    const replyAudio = (await spoken(replies.map((r) => ({ text: r.text, language: (r.language ?? 'en') as 'en' })))).subarray(0, PREFIX_BYTES);
    await waitFor(() => pbx.audio(replyFrom).byteLength >= PREFIX_BYTES, 10_000, 'reply audio');
    expect(pbx.audio(replyFrom).subarray(0, PREFIX_BYTES).equals(replyAudio)).toBe(true);

    pbx.send(AudioSocketKind.HANGUP);
    await pbx.closed;
  });

  it('keeps a call going when its recognizer process crashes: the next utterance is heard by a new one', async () => {
    const uuid = nextUuid();
    const pbx = await dialAudioSocket(h.speech.audioSocketPort!, uuid);
    await waitFor(() => conversationOf(uuid) !== undefined, 5000);
    const conv = conversationOf(uuid)!;
    await pbx.speak(silence(400), 2); // opens the call's recognizer stream
    await waitFor(() => h.speech.status().processes.some((p) => p.streams > 0), 5000, 'stream opened');
    const victim = h.speech.status().processes.find((p) => p.streams > 0)!;
    process.kill(victim.pid!, 'SIGKILL');
    // Processes not started yet (started on demand) stay idle; every started one must be back.
    const started = () => h.speech.status().processes.filter((p) => p.state !== 'idle');
    await waitFor(() => started().length > 0 && started().every((p) => p.state === 'ready' && p.pid !== victim.pid), 15_000, 'recognizer restarted');
    await pbx.speak(Buffer.concat([silence(1200), say('agent'), silence(1200)]), 2);
    await waitFor(() => turnsOf(conv.id).some((x) => x.speaker === 'customer'), 10_000, 'utterance after the crash');
    expect(turnsOf(conv.id).filter((x) => x.speaker === 'customer').map((x) => x.text)).toEqual(['agent']);
    expect(pbx.socket.destroyed).toBe(false);
    pbx.send(AudioSocketKind.HANGUP);
    await pbx.closed;
  });

  it('switches the call to Mandarin with *2: the zh model hears the caller', async () => {
    const uuid = nextUuid();
    const pbx = await dialAudioSocket(h.speech.audioSocketPort!, uuid);
    await waitFor(() => conversationOf(uuid) !== undefined, 5000);
    const conv = conversationOf(uuid)!;
    pbx.dtmf('*2');
    await pbx.speak(Buffer.concat([silence(300), say('ren2 gong1', { voice: 'cmn-latn-pinyin' }), silence(1200)]), 2);
    await waitFor(() => turnsOf(conv.id).some((x) => x.speaker === 'customer'), 10_000, 'Mandarin utterance');
    expect(turnsOf(conv.id).filter((x) => x.speaker === 'customer').map((x) => x.text)).toEqual(['人工']);
    expect(t.app.conversations.record(conv.id).handoff).not.toBeNull();
    pbx.send(AudioSocketKind.HANGUP);
    await pbx.closed;
  });

  it('takes DTMF digits up to "#" as one message, and skips frame kinds it does not know', async () => {
    const uuid = nextUuid();
    const pbx = await dialAudioSocket(h.speech.audioSocketPort!, uuid);
    await waitFor(() => conversationOf(uuid) !== undefined, 5000);
    const conv = conversationOf(uuid)!;
    pbx.send(0x42, Buffer.from('future kind'));
    const before = pbx.received.length;
    pbx.dtmf('1234#');
    await waitFor(() => turnsOf(conv.id).some((x) => x.speaker === 'customer'), 5000, 'digits posted');
    expect(turnsOf(conv.id).filter((x) => x.speaker === 'customer').map((x) => x.text)).toEqual(['1234']);
    // The DTMF cut the greeting; the answer to the digits is spoken.
    const replies = turnsOf(conv.id).filter((x) => x.speaker === 'bot').slice(-1);
    const replyAudio = (await spoken(replies.map((r) => ({ text: r.text, language: (r.language ?? 'en') as 'en' })))).subarray(0, PREFIX_BYTES);
    await waitFor(() => pbx.audio(before).byteLength >= 3 * PREFIX_BYTES, 10_000, 'reply audio');
    // Somewhere after the greeting was cut off, the reply starts, frame-aligned.
    const after = pbx.audio(before);
    const at = after.indexOf(replyAudio.subarray(0, 3200));
    expect(at % 320).toBe(0);
    expect(after.subarray(at, at + PREFIX_BYTES).equals(replyAudio)).toBe(true);
    pbx.socket.end();
    await pbx.closed;
  });

  it('ends the call on a hangup frame and on a PBX error frame', async () => {
    for (const kind of [AudioSocketKind.HANGUP, AudioSocketKind.ERROR]) {
      const uuid = nextUuid();
      const pbx = await dialAudioSocket(h.speech.audioSocketPort!, uuid);
      await waitFor(() => conversationOf(uuid) !== undefined, 5000);
      pbx.send(kind, kind === AudioSocketKind.ERROR ? Buffer.from([1]) : undefined);
      await pbx.closed;
    }
  });

  it('ends only the offending call on a malformed frame; a partial header across TCP chunks is fine', async () => {
    const good = await dialAudioSocket(h.speech.audioSocketPort!, nextUuid());
    const bad = await dialAudioSocket(h.speech.audioSocketPort!, nextUuid());
    // A DTMF frame split mid-header across two TCP writes is reassembled.
    good.socket.write(Buffer.from([AudioSocketKind.DTMF, 0x00]));
    await new Promise((r) => setTimeout(r, 30));
    good.socket.write(Buffer.from([0x01, '9'.charCodeAt(0)]));
    // An odd-length slin frame is not audio.
    bad.send(AudioSocketKind.SLIN_8K, Buffer.alloc(321));
    await bad.closed;
    expect(good.socket.destroyed).toBe(false);
    good.dtmf('#');
    const goodUuid = `00000000-0000-4000-8000-${String(uuidSeq - 1).padStart(12, '0')}`;
    await waitFor(() => {
      const c = conversationOf(goodUuid);
      return !!c && turnsOf(c.id).some((x) => x.speaker === 'customer' && x.text === '9');
    }, 5000, 'split DTMF frame handled');
    good.socket.end();
  });
});
