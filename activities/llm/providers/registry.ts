import { ApplicationFailure } from '@temporalio/activity';
import type { CredentialKind, ResolvedCredential } from '../../credential-kinds';
import { anthropicChat } from './anthropic';
import { cohereEmbeddings } from './cohere';
import { geminiChat, geminiEmbeddings } from './google-gemini';
import { groqChat } from './groq';
import { mistralChat, mistralEmbeddings } from './mistral';
import type { ChatProvider, EmbeddingProvider } from './model-provider';
import { ollamaChat, ollamaEmbeddings } from './ollama';
import { openAiChat, openAiEmbeddings } from './openai';

/** Which provider serves a model node: the one of the credential it names. */

export const chatProviders = {
  openai: openAiChat,
  anthropic: anthropicChat,
  'google-gemini': geminiChat,
  ollama: ollamaChat,
  mistral: mistralChat,
  groq: groqChat,
} as const satisfies Partial<Record<CredentialKind, ChatProvider>>;

export const embeddingProviders = {
  openai: openAiEmbeddings,
  ollama: ollamaEmbeddings,
  'google-gemini': geminiEmbeddings,
  mistral: mistralEmbeddings,
  cohere: cohereEmbeddings,
} as const satisfies Partial<Record<CredentialKind, EmbeddingProvider>>;

export type ChatCredentialKind = keyof typeof chatProviders;
export type EmbeddingCredentialKind = keyof typeof embeddingProviders;
export const chatCredentialKinds = Object.keys(chatProviders) as ChatCredentialKind[];
export const embeddingCredentialKinds = Object.keys(embeddingProviders) as EmbeddingCredentialKind[];

/** The credential's chat provider; a credential of another kind fails the node at once. */
export function chatProviderFor(credential: ResolvedCredential | undefined, nodeLabel: string): { credential: ResolvedCredential; provider: ChatProvider } {
  const provider = credential && Object.hasOwn(chatProviders, credential.kind) ? chatProviders[credential.kind as ChatCredentialKind] : undefined;
  if (!credential || !provider) throw wrongCredential(credential, nodeLabel, 'a model provider', chatCredentialKinds);
  return { credential, provider };
}

export function embeddingProviderFor(credential: ResolvedCredential | undefined, nodeLabel: string): { credential: ResolvedCredential; provider: EmbeddingProvider } {
  const provider = credential && Object.hasOwn(embeddingProviders, credential.kind) ? embeddingProviders[credential.kind as EmbeddingCredentialKind] : undefined;
  if (!credential || !provider) throw wrongCredential(credential, nodeLabel, 'an embeddings provider', embeddingCredentialKinds);
  return { credential, provider };
}

function wrongCredential(credential: ResolvedCredential | undefined, nodeLabel: string, what: string, kinds: readonly string[]): ApplicationFailure {
  const given = credential ? `credential ${credential.id} is a ${credential.kind} credential, not one of` : 'needs a credential (config.credentialId) of';
  return ApplicationFailure.create({ message: `${nodeLabel} ${given} ${what}: ${kinds.join(', ')}`, type: 'InvalidCredential', nonRetryable: true });
}
