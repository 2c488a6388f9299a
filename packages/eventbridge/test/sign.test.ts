import { describe, expect, it } from 'vitest';
import { signedHeaders } from '../src/sign.js';

// Expected signatures computed outside the code: the canonical string written out by
// hand from eventbridge-util's GetStringToSign, then
// `printf '<string>' | openssl dgst -sha1 -hmac testSecret -binary | base64`.
const request = {
  method: 'POST',
  resource: '/openapi/putEvents',
  contentType: 'application/cloudevents-batch+json; charset=utf-8',
};
const at = new Date(Date.UTC(2020, 3, 18, 5, 30, 41));
const nonce = '6a1d0d3e-0b4e-4c3a-9d56-2f1f3b4d6c7e';

describe('the ACS signature of the EventBridge SDK', () => {
  it('signs method, content type, Date, the sorted x-acs headers and the path', () => {
    const key = { accessKeyId: 'LTAI5tKey', accessKeySecret: 'testSecret', securityToken: '' };
    const headers = signedHeaders(key, request, at, nonce);
    expect(headers).toMatchObject({
      date: 'Sat, 18 Apr 2020 05:30:41 GMT',
      'x-acs-signature-method': 'HMAC-SHA1',
      'x-acs-signature-version': '1.0',
      'x-acs-signature-nonce': nonce,
      'x-eventbridge-version': '2015-06-06',
      authorization: 'acs:LTAI5tKey:+1gd8H87VdHcChHT2xpqbyq9QSs=',
    });
    expect(headers).not.toHaveProperty('x-acs-security-token');
  });

  it('adds and signs the STS token and the key id', () => {
    const key = {
      accessKeyId: 'STS.NUgYrLnoC37mZZ',
      accessKeySecret: 'testSecret',
      securityToken: 'CAIS.token',
    };
    const headers = signedHeaders(key, request, at, nonce);
    expect(headers['x-acs-security-token']).toBe('CAIS.token');
    expect(headers['x-acs-accesskey-id']).toBe('STS.NUgYrLnoC37mZZ');
    expect(headers.authorization).toBe('acs:STS.NUgYrLnoC37mZZ:Q4WXxvP7w5GinvToaswMbFPrEFs=');
  });

  it('makes a fresh nonce for each request', () => {
    const key = { accessKeyId: 'k', accessKeySecret: 's', securityToken: '' };
    const first = signedHeaders(key, request)['x-acs-signature-nonce'];
    expect(signedHeaders(key, request)['x-acs-signature-nonce']).not.toBe(first);
  });
});
