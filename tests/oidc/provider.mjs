// A real OpenID Connect provider for the tests (node provider.mjs), on 127.0.0.1:$PORT.
// Any login name is an account whose email is that name; names starting with "unverified" have
// email_verified=false. Its development login and consent pages are oidc-provider's own.
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const redirectUris = JSON.parse(process.env.REDIRECT_URIS || '[]');

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'warmeveranderen',
    client_secret: process.env.CLIENT_SECRET || 'test-geheim',
    redirect_uris: redirectUris,
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  pkce: { required: () => true },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  // Like Microsoft Entra ID and Google: the ID token itself carries email and name.
  conformIdTokenClaims: false,
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          email: id,
          email_verified: !id.startsWith('unverified'),
          name: id.split('@')[0].replace(/[._]/g, ' '),
        };
      },
    };
  },
  cookies: { keys: ['warmeveranderen-test-cookie-key'] },
  features: { devInteractions: { enabled: true } },
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`READY ${issuer}`);
});
