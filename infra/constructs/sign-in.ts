/**
 * Who may sign in to the web app, and how: a Cognito user pool with two groups (administrators,
 * policymakers; docs/web-api.md, "Who may do what"), its managed login pages on a Cognito domain, and
 * the web app's client (authorization code with PKCE, no secret: the app is static files in a browser).
 * Nobody signs themselves up: an administrator invites people (docs/operations.md, "People who sign in").
 */
import { Aws, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { PipelineConfig } from '../config.js';

/** The groups of the user pool, as the handlers read them from `cognito:groups` (functions/commons/web.ts). */
export const SIGN_IN_GROUPS = {
  administrators: 'Upload files, read receipts, download the exports, look people up and erase them',
  policymakers: 'Read the published reports',
} as const;

/** The managed login's host, known before the user pool exists (the site's headers name it). */
export function signInDomainName(config: Pick<PipelineConfig, 'stackName' | 'signIn'>): string {
  return `${domainPrefixOf(config)}.auth.${Aws.REGION}.amazoncognito.com`;
}

// A Cognito prefix is unique per region across all accounts: the stack's name and the account make it so.
const domainPrefixOf = (config: Pick<PipelineConfig, 'stackName' | 'signIn'>) =>
  config.signIn.domainPrefix ?? `${config.stackName.toLowerCase()}-${Aws.ACCOUNT_ID}`;

export interface SignInProps {
  /** The web app's address: where the managed login sends people back, and where sign-out leads. */
  readonly appUrl: string;
  readonly config: Pick<PipelineConfig, 'deployment' | 'stackName' | 'signIn'>;
  readonly removalPolicy: RemovalPolicy;
}

export class SignIn extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;
  /** The managed login's host, e.g. `iecmhpipeline-prod-123456789012.auth.us-east-1.amazoncognito.com`. */
  readonly domainName: string;
  /** The managed login page for the web app's client. */
  readonly signInUrl: string;
  /** Ends the Cognito session and returns to the web app. */
  readonly signOutUrl: string;

  constructor(scope: Construct, id: string, props: SignInProps) {
    super(scope, id);
    const { config } = props;
    const mfaRequired = config.signIn.mfa === 'required';

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: `${config.stackName}-people`,
      // Administrators invite people (admin-create-user); nobody creates an account from the sign-in page.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true }, fullname: { required: false, mutable: true } },
      // A one-time password from an authenticator app; no SMS (it costs money and can be intercepted).
      mfa: mfaRequired ? cognito.Mfa.REQUIRED : cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 5,
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // Plus: threat protection blocks sign-ins from leaked passwords and unusual places; a few people cost cents.
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: props.removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy: props.removalPolicy,
    });
    for (const [groupName, description] of Object.entries(SIGN_IN_GROUPS)) {
      new cognito.UserPoolGroup(this, `${groupName}Group`, { userPool: this.userPool, groupName, description });
    }

    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: domainPrefixOf(config) },
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    this.domainName = signInDomainName(config);

    this.client = this.userPool.addClient('WebApp', {
      userPoolClientName: 'web-app',
      // The app runs in the browser, which cannot keep a secret: the code flow with PKCE instead.
      generateSecret: false,
      // Only what the managed login pages need; the app never handles a password.
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [props.appUrl],
        logoutUrls: [props.appUrl],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      // A short-lived ID token (what the API checks) and a working day of refresh.
      idTokenValidity: Duration.minutes(60),
      accessTokenValidity: Duration.minutes(60),
      refreshTokenValidity: Duration.hours(8),
      authSessionValidity: Duration.minutes(5),
    });
    // The managed login pages show nothing for a client without a style: Cognito's own look will do.
    new cognito.CfnManagedLoginBranding(this, 'Branding', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });

    this.signInUrl = this.domain.signInUrl(this.client, { redirectUri: props.appUrl });
    this.signOutUrl = `https://${this.domainName}/logout?client_id=${this.client.userPoolClientId}&logout_uri=${props.appUrl}`;

    if (!mfaRequired) {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG2',
        reason: `MFA is offered (an authenticator app) but not required in the ${config.deployment} deployment (infra/config.ts, signIn.mfa); docs/operations.md asks every administrator to turn it on, and threat protection guards the password sign-in.`,
      });
    }
  }
}
