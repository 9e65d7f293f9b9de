import { PROD } from '../../src/config/stages';
import type { StageConfig } from '../../src/config/types';
import { validateStageConfig } from '../../src/config/validate';

/** Prod as it should run: HTTPS with an imported ACM certificate. */
export const PROD_WITH_CERTIFICATE: StageConfig = validateStageConfig({
  ...PROD,
  certificateArn:
    'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
});

/** Prod with a domain: the certificate is issued (DNS-validated) and an alias record created. */
export const PROD_WITH_DOMAIN: StageConfig = validateStageConfig({
  ...PROD,
  domain: {
    name: 'api.herald.example.com',
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
    zoneName: 'herald.example.com',
  },
  alertsEmail: 'oncall@example.com',
});
