import { Invitation } from '../../db/entities';
import { createApiHarness, type ApiHarness, type ApiResponse, type TestAccount } from '../../test/api-harness';

/**
 * Membership is by invitation: an owner's invitation says nothing about whether the email has an account, and only
 * the account with that email, signed in, can turn it into a membership.
 */

let api: ApiHarness;
let owner: TestAccount;
beforeAll(async () => {
  api = await createApiHarness();
  owner = await api.signUp('owner');
}, 120_000);
afterAll(() => api?.close());

interface Invited {
  id: string;
  email: string;
  expiresAt: string;
}

const invite = (email: string, role = 'editor', token = owner.token) =>
  api.request<Invited>('POST', `/api/v1/workspaces/${owner.workspaceId}/invitations`, { token, body: { email, role } });

/** What may differ between two answers to two different emails: the invitation's own id, the email and the times. */
function shapeOf(response: ApiResponse<Invited>, email: string) {
  return {
    status: response.status,
    headers: [...response.headers.keys()].filter((name) => !['date', 'content-length', 'etag', 'x-request-id'].includes(name)).sort(),
    body: JSON.parse(response.text.replace(response.body.id, '<id>').replace(email, '<email>').replace(/"\d{4}-[^"]+Z"/g, '"<time>"')),
  };
}

const members = async () => (await api.request<{ email: string }[]>('GET', `/api/v1/workspaces/${owner.workspaceId}/members`, { token: owner.token })).body.map((member) => member.email);
const received = async (account: TestAccount) => (await api.request<{ id: string; workspace: { id: string } }[]>('GET', '/api/v1/invitations', { token: account.token })).body;
const asMemberOfOwner = (account: TestAccount) => ({ token: account.token, headers: { 'x-kai-workspace': owner.workspaceId } });

test('inviting an email with an account and one without answer alike', async () => {
  const registered = await api.signUp('registered');
  const unknownEmail = `nobody-${Date.now()}@example.com`;
  const toKnown = await invite(registered.email);
  const toUnknown = await invite(unknownEmail);
  expect(toKnown.status).toBe(201);
  expect(shapeOf(toKnown, registered.email)).toEqual(shapeOf(toUnknown, unknownEmail));
  expect(Object.keys(toKnown.body).sort()).toEqual(['createdAt', 'email', 'expiresAt', 'id', 'role']);
});

test('an invitation makes no member: the invitee sees it, and only accepting it makes them one', async () => {
  const invitee = await api.signUp('invitee');
  const invited = await invite(invitee.email, 'viewer');
  expect(await members()).not.toContain(invitee.email);
  expect((await api.request('GET', '/api/v1/workflows', asMemberOfOwner(invitee))).status).toBe(404);

  expect(await received(invitee)).toEqual([
    { id: invited.body.id, workspace: { id: owner.workspaceId, name: expect.any(String) }, role: 'viewer', invitedBy: owner.email, expiresAt: expect.any(String) },
  ]);
  const accepted = await api.request('POST', `/api/v1/invitations/${invited.body.id}/accept`, { token: invitee.token });
  expect(accepted.body).toEqual({ id: owner.workspaceId, name: expect.any(String), role: 'viewer' });
  expect(await members()).toContain(invitee.email);
  expect((await api.request('GET', '/api/v1/workflows', asMemberOfOwner(invitee))).status).toBe(200);
  expect(await received(invitee)).toEqual([]);
  expect((await api.request('POST', `/api/v1/invitations/${invited.body.id}/accept`, { token: invitee.token })).status).toBe(404);
});

test('nobody but the invited email can accept or decline it', async () => {
  const invitee = await api.signUp('invitee');
  const other = await api.signUp('other');
  const invited = await invite(invitee.email);
  expect(await received(other)).toEqual([]);
  for (const action of ['accept', 'decline']) {
    const response = await api.request('POST', `/api/v1/invitations/${invited.body.id}/${action}`, { token: other.token });
    expect(response.status).toBe(404);
    expect(response.text).not.toContain(invitee.email);
  }
  expect((await api.request('POST', `/api/v1/invitations/${invited.body.id}/accept`, { token: owner.token })).status).toBe(404);
  expect(await members()).not.toContain(other.email);
  expect(await members()).not.toContain(invitee.email);
});

test('a declined, revoked or expired invitation can no longer be accepted', async () => {
  const invitee = await api.signUp('invitee');

  const declined = await invite(invitee.email);
  expect((await api.request('POST', `/api/v1/invitations/${declined.body.id}/decline`, { token: invitee.token })).status).toBe(204);
  expect((await api.request('POST', `/api/v1/invitations/${declined.body.id}/accept`, { token: invitee.token })).status).toBe(404);

  const revoked = await invite(invitee.email);
  const listed = await api.request<{ id: string }[]>('GET', `/api/v1/workspaces/${owner.workspaceId}/invitations`, { token: owner.token });
  expect(listed.body.map((invitation) => invitation.id)).toContain(revoked.body.id);
  expect((await api.request('DELETE', `/api/v1/workspaces/${owner.workspaceId}/invitations/${revoked.body.id}`, { token: owner.token })).status).toBe(204);
  expect(await received(invitee)).toEqual([]);
  expect((await api.request('POST', `/api/v1/invitations/${revoked.body.id}/accept`, { token: invitee.token })).status).toBe(404);

  const expired = await invite(invitee.email);
  await api.services.orm.em.fork().nativeUpdate(Invitation, { id: expired.body.id }, { expiresAt: new Date(Date.now() - 1000) });
  expect(await received(invitee)).toEqual([]);
  expect((await api.request('POST', `/api/v1/invitations/${expired.body.id}/accept`, { token: invitee.token })).status).toBe(404);
  expect(await members()).not.toContain(invitee.email);

  const renewed = await invite(invitee.email);
  expect(renewed.body.id).toBe(expired.body.id);
  expect(new Date(renewed.body.expiresAt).getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 60 * 60 * 1000);
  expect((await api.request('POST', `/api/v1/invitations/${renewed.body.id}/accept`, { token: invitee.token })).status).toBe(200);
  expect(await members()).toContain(invitee.email);
});

test('only owners invite, list and revoke invitations', async () => {
  const editor = await api.signUp('editor');
  await api.addMember(owner, editor, 'editor');
  const invited = await invite(`someone-${Date.now()}@example.com`);
  const asEditor = asMemberOfOwner(editor);
  expect((await api.request('POST', `/api/v1/workspaces/${owner.workspaceId}/invitations`, { ...asEditor, body: { email: 'x@example.com', role: 'editor' } })).status).toBe(403);
  expect((await api.request('GET', `/api/v1/workspaces/${owner.workspaceId}/invitations`, asEditor)).status).toBe(403);
  expect((await api.request('DELETE', `/api/v1/workspaces/${owner.workspaceId}/invitations/${invited.body.id}`, asEditor)).status).toBe(403);
  // Not even as owner of their own workspace, naming this one in the path.
  expect((await api.request('POST', `/api/v1/workspaces/${owner.workspaceId}/invitations`, { token: editor.token, body: { email: 'x@example.com', role: 'editor' } })).status).toBe(403);
});

test('an invitation cannot make an owner, and a bad email is named', async () => {
  const asOwner = await api.request('POST', `/api/v1/workspaces/${owner.workspaceId}/invitations`, { token: owner.token, body: { email: 'x@example.com', role: 'owner' } });
  expect(asOwner.status).toBe(400);
  expect(asOwner.body.error.details[0].path).toBe('body.role');
  const badEmail = await api.request('POST', `/api/v1/workspaces/${owner.workspaceId}/invitations`, { token: owner.token, body: { email: 'not an email', role: 'viewer' } });
  expect(badEmail.status).toBe(400);
  expect(badEmail.body.error.details[0].path).toBe('body.email');
});
