// Opening a recognition stream from what a client asked for: resolves the model per stream
// (nothing is shared between connections, unlike vosk-server's global model), checks the audio
// format against the model, then takes a slot in the pool.
import type { SpeechLanguage } from './config.ts';
import { SpeechError } from './errors.ts';
import type { ModelCatalog } from './models.ts';
import type { AudioEncoding } from './pool/messages.ts';
import type { RecognizerPool } from './pool/pool.ts';
import type { RecognitionStream } from './pool/stream.ts';

export interface StreamRequest {
  model?: string;
  language?: SpeechLanguage;
  sampleRate: number;
  encoding: AudioEncoding;
  phraseList?: string[];
  words: boolean;
  maxAlternatives: number;
}

export class SpeechRecognition {
  constructor(
    private readonly pool: RecognizerPool,
    readonly catalog: ModelCatalog,
    private readonly sampleRates: readonly number[],
  ) {}

  /** Checks a request without opening anything (so clients hear about bad config right away). */
  validate(request: StreamRequest): void {
    const model = this.catalog.resolve(request);
    this.checkFormat(request, model.sampleRate);
  }

  async open(request: StreamRequest): Promise<RecognitionStream> {
    const model = this.catalog.resolve(request);
    this.checkFormat(request, model.sampleRate);
    return this.pool.openStream({
      model,
      sampleRate: request.sampleRate,
      encoding: request.encoding,
      ...(request.phraseList?.length ? { grammar: request.phraseList } : {}),
      words: request.words,
      maxAlternatives: request.maxAlternatives,
    });
  }

  private checkFormat(request: StreamRequest, modelRate: number): void {
    if (request.encoding !== 'pcm16' && request.sampleRate !== 8000) {
      throw new SpeechError('AUDIO_FORMAT_UNSUPPORTED', `G.711 ${request.encoding} audio is 8000 Hz; got sample_rate ${request.sampleRate}`);
    }
    if (!this.sampleRates.includes(request.sampleRate)) {
      throw new SpeechError('SPEECH_SAMPLE_RATE_UNSUPPORTED', `sample_rate ${request.sampleRate} is not supported; use one of ${this.sampleRates.join(', ')}`, { supported: this.sampleRates });
    }
    // libvosk downsamples to the model rate but cannot upsample.
    if (request.sampleRate < modelRate) {
      throw new SpeechError('SPEECH_SAMPLE_RATE_UNSUPPORTED', `the model needs at least ${modelRate} Hz audio; got ${request.sampleRate} Hz`, { modelSampleRate: modelRate });
    }
  }
}
