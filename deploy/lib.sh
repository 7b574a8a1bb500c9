# Shared by deploy.sh and undeploy.sh (sourced, not executed).
# Lambda@Edge functions must live in us-east-1, so everything here talks to us-east-1.

REGION=us-east-1

die() {
  # exit 2 = a precondition is not met (missing tool, credentials, file or variable)
  echo "$SCRIPT: error: $*" >&2
  exit 2
}

log() {
  echo "$SCRIPT: $*" >&2
}

require_aws_cli() {
  command -v aws >/dev/null 2>&1 || die "the AWS CLI ('aws') is not on PATH.
  Install it (Debian: apt-get install awscli; or AWS CLI v2) and configure credentials
  (aws configure / AWS_PROFILE / AWS_ACCESS_KEY_ID...), then re-run."
}

require_credentials() {
  local out
  if ! out=$(aws sts get-caller-identity --region "$REGION" --query Account --output text 2>&1); then
    die "no usable AWS credentials: 'aws sts get-caller-identity' failed:
  ${out}
  Configure credentials (aws configure, AWS_PROFILE, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) and re-run."
  fi
  ACCOUNT_ID=$out
  log "using AWS account ${ACCOUNT_ID}, region ${REGION}"
}

check_stack_name() {
  # The function is named "<STACK>-resizer" (Lambda names are at most 64 characters) and the
  # CloudFront Function "<STACK>-accept" (at most 64 as well).
  [[ "$STACK" =~ ^[A-Za-z][A-Za-z0-9-]{0,47}$ ]] ||
    die "STACK='$STACK' must start with a letter, contain only letters, digits and '-', and be at most 48 characters."
}
