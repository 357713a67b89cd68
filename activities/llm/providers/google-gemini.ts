import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import type { BaseMessage } from '@langchain/core/messages';
import type { ChatGenerationChunk, ChatResult } from '@langchain/core/outputs';
import { ChatGoogleGenerativeAI, GoogleGenerativeAIEmbeddings } from '@langchain/google-genai';
import { fetchScope, type FetchScope } from '../../net/scoped-global-fetch';
import type { ChatProvider, EmbeddingProvider } from './model-provider';

/**
 * Google's Gemini API (generateContent, streamGenerateContent, embedContent, batchEmbedContents). Google's SDK calls
 * the global fetch and takes none of its own, so every call runs in a {@link fetchScope} of the node's guarded fetch.
 */
export const GEMINI_BASE_URL = 'https://generativelanguage.googleapis.com';

type ChatFields = ConstructorParameters<typeof ChatGoogleGenerativeAI>[0] & object;

class ScopedChatGoogleGenerativeAI extends ChatGoogleGenerativeAI {
  constructor(
    fields: ChatFields,
    private readonly scope: FetchScope,
  ) {
    super(fields);
  }

  override _generate(messages: BaseMessage[], options: this['ParsedCallOptions'], runManager?: CallbackManagerForLLMRun): Promise<ChatResult> {
    return this.scope.run(() => super._generate(messages, options, runManager));
  }

  /** Each step of the stream runs in the scope: the request is sent on the first one. */
  override async *_streamResponseChunks(messages: BaseMessage[], options: this['ParsedCallOptions'], runManager?: CallbackManagerForLLMRun): AsyncGenerator<ChatGenerationChunk> {
    const chunks = super._streamResponseChunks(messages, options, runManager);
    for (;;) {
      const next = await this.scope.run(() => chunks.next());
      if (next.done) return;
      yield next.value;
    }
  }
}

interface BatchEmbedder {
  batchEmbedContents(request: { requests: { content: { role: string; parts: { text: string }[] }; outputDimensionality?: number }[] }): Promise<{ embeddings: { values?: number[] }[] }>;
}

class ScopedGoogleGenerativeAIEmbeddings extends GoogleGenerativeAIEmbeddings {
  constructor(
    fields: ConstructorParameters<typeof GoogleGenerativeAIEmbeddings>[0],
    private readonly scope: FetchScope,
  ) {
    super(fields);
  }

  override embedDocuments(documents: string[]): Promise<number[][]> {
    return this.scope.run(() => super.embedDocuments(documents));
  }

  /**
   * LangChain's own answers a batch that failed (a rejected key, an outage) with empty vectors; here the failure
   * fails the call, as every other provider's does. Its client is private in the types only.
   */
  protected override async _embedDocumentsContent(documents: string[]): Promise<number[][]> {
    const { client } = this as unknown as { client: BatchEmbedder };
    const batches: string[][] = [];
    for (let start = 0; start < documents.length; start += this.maxBatchSize) batches.push(documents.slice(start, start + this.maxBatchSize));
    const answers = await Promise.all(
      batches.map((batch) =>
        client.batchEmbedContents({
          requests: batch.map((text) => ({ content: { role: 'user', parts: [{ text: this.stripNewLines ? text.replace(/\n/g, ' ') : text }] }, outputDimensionality: this.outputDimensionality })),
        }),
      ),
    );
    return answers.flatMap((answer) => answer.embeddings.map((embedding) => embedding.values ?? []));
  }

  override embedQuery(document: string): Promise<number[]> {
    return this.scope.run(() => super.embedQuery(document));
  }
}

export const geminiChat: ChatProvider = {
  chatModel: (credential, options) =>
    new ScopedChatGoogleGenerativeAI(
      {
        model: options.model,
        temperature: options.temperature,
        maxOutputTokens: options.maxTokens,
        apiKey: credential.data.apiKey,
        baseUrl: credential.data.baseUrl ?? GEMINI_BASE_URL,
        maxRetries: 0,
      },
      fetchScope(options.fetch),
    ),
};

export const geminiEmbeddings: EmbeddingProvider = {
  defaultModel: 'text-embedding-004',
  embeddings: (credential, options) =>
    new ScopedGoogleGenerativeAIEmbeddings(
      { model: options.model, outputDimensionality: options.dimensions, apiKey: credential.data.apiKey, baseUrl: credential.data.baseUrl ?? GEMINI_BASE_URL, maxRetries: 0 },
      fetchScope(options.fetch),
    ),
};
