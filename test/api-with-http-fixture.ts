import { createApiHarness, type ApiHarness, type TestAccount } from './api-harness';
import { startHttpFixture, type HttpFixture } from './http-fixture';
import { quietRuntime } from './temporal-harness';

/** The API harness, an HTTP fixture its runs' nodes call, and an account that owns a workspace on the API. */
export interface ApiWithHttpFixture {
  api: ApiHarness;
  http: HttpFixture;
  owner: TestAccount;
}

export interface ApiWithHttpFixtureOptions {
  /** Goes into the owner's e-mail address, naming the suite that signed them up. */
  ownerName: string;
  /** The suite fails runs on purpose (the fixture answers errors): the SDK's warning about each is kept out of the output. */
  runsFailOnPurpose?: boolean;
}

/** Starts both side by side and signs the owner up; should the sign-up fail, both are closed again. */
export async function startApiWithHttpFixture(options: ApiWithHttpFixtureOptions): Promise<ApiWithHttpFixture> {
  if (options.runsFailOnPurpose) quietRuntime('ERROR');
  const [api, http] = await Promise.all([createApiHarness(), startHttpFixture()]);
  try {
    return { api, http, owner: await api.signUp(options.ownerName) };
  } catch (error) {
    await Promise.all([api.close(), http.close()]);
    throw error;
  }
}
