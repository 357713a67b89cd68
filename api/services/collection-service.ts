import type { EntityManager } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/common';
import type { ResolvedCredential } from '../../activities/credential-kinds';
import { embedTexts } from '../../activities/embeddings/embed-texts';
import { embeddingProviders } from '../../activities/llm/providers/registry';
import { CollectionMismatchError, VectorSupportMissingError, type VectorCollectionInfo } from '../../activities/services/vector-store';
import { DbCredentialResolver } from '../../db/credential-resolver';
import type { SecretKey } from '../../db/secret-box';
import { DbVectorStore } from '../../db/vector-store';
import type { CollectionDto, CreateCollectionBody, SearchCollectionBody, SearchCollectionResponse } from '../../contract/collections';
import { ApiError } from '../http/api-error';

export interface CollectionServiceOptions {
  em: EntityManager;
  /** Opens the credential an OpenAI-compatible query embedder names. */
  key: SecretKey;
  workspaceId: string;
  /** The outbound-guarded fetch a provider embedder calls through. */
  fetch: typeof fetch;
}

/**
 * The vector collections of one workspace. Collections are plain rows and work on any PostgreSQL; searching needs
 * pgvector and answers 409 naming it when the database has none.
 */
export class CollectionService {
  private readonly store: DbVectorStore;

  constructor(private readonly options: CollectionServiceOptions) {
    this.store = new DbVectorStore(options.em.getKnex());
  }

  async list(): Promise<CollectionDto[]> {
    const collections = await this.store.collections.list(this.options.workspaceId);
    return Promise.all(collections.map((collection) => this.toDto(collection)));
  }

  async get(id: string): Promise<CollectionDto> {
    return this.toDto(await this.find(id));
  }

  async create(body: CreateCollectionBody): Promise<CollectionDto> {
    if (await this.store.collections.find(this.options.workspaceId, { name: body.name })) {
      throw ApiError.conflict(`a collection named "${body.name}" already exists in this workspace`);
    }
    const { collection } = await this.store.collections.ensure(this.options.workspaceId, body.name, { dimension: body.dimension, metric: body.metric });
    return this.toDto(collection);
  }

  async delete(id: string): Promise<void> {
    if (!(await this.store.collections.drop(this.options.workspaceId, id))) throw ApiError.notFound('collection');
  }

  async search(id: string, body: SearchCollectionBody): Promise<SearchCollectionResponse> {
    const collection = await this.find(id);
    if (!(await this.store.collections.hasVectorSupport())) throw ApiError.conflict(new VectorSupportMissingError().message);
    const embedding = body.vector ?? (await this.embedQuery(body.query ?? '', body.embedder, collection));
    if (embedding.length !== collection.dimension) {
      const field = body.vector ? 'body.vector' : 'body.embedder.dimensions';
      throw new ApiError(400, 'validation_failed', `${field}: the query vector has ${embedding.length} dimensions; the collection holds ${collection.dimension}`, [
        { path: field, message: `expected ${collection.dimension} dimensions` },
      ]);
    }
    try {
      return { matches: await this.store.search(this.options.workspaceId, collection.name, { embedding, k: body.k, scoreThreshold: body.scoreThreshold, filter: body.filter }) };
    } catch (error) {
      if (error instanceof CollectionMismatchError) throw new ApiError(400, 'validation_failed', error.message);
      throw error;
    }
  }

  /** The local embedder takes the collection's dimension unless told otherwise; a provider's failure is a 422. */
  private async embedQuery(query: string, embedder: SearchCollectionBody['embedder'], collection: VectorCollectionInfo): Promise<number[]> {
    const spec = embedder.provider === 'local' ? { ...embedder, dimensions: embedder.dimensions ?? collection.dimension } : embedder;
    const credential = spec.provider === 'local' ? undefined : await this.embeddingCredential(spec.credentialId, spec.provider);
    try {
      return (await embedTexts(spec, [query], { credential, fetch: this.options.fetch, label: 'the query embedder' })).vectors[0];
    } catch (error) {
      throw new ApiError(422, 'unprocessable', `the query could not be embedded: ${(error as Error).message}`);
    }
  }

  private async embeddingCredential(credentialId: string | undefined, provider: string): Promise<ResolvedCredential> {
    const field = 'body.embedder.credentialId';
    if (!credentialId) throw new ApiError(400, 'validation_failed', `${field}: required for the ${provider} provider`, [{ path: field, message: `required for the ${provider} provider` }]);
    const resolver = new DbCredentialResolver(this.options.em, this.options.key);
    const credential = await resolver.resolve(this.options.workspaceId, credentialId).catch((error: unknown) => {
      // The resolver answers an unknown id with a non-retryable failure meant for activities; here it is a 404.
      if (error instanceof ApplicationFailure) return undefined;
      throw error;
    });
    if (!credential || !Object.hasOwn(embeddingProviders, credential.kind)) throw ApiError.notFound(`embeddings provider credential (${field})`);
    return credential;
  }

  private async find(id: string): Promise<VectorCollectionInfo> {
    const collection = await this.store.collections.find(this.options.workspaceId, { id });
    if (!collection) throw ApiError.notFound('collection');
    return collection;
  }

  private async toDto(collection: VectorCollectionInfo): Promise<CollectionDto> {
    const { count, sizeBytes } = await this.store.collections.stats(collection);
    return { id: collection.id, name: collection.name, dimension: collection.dimension, metric: collection.metric, count, sizeBytes, createdAt: collection.createdAt.toISOString() };
  }
}
