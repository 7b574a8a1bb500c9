#!/usr/bin/env bash
# Deploy vips-edge: upload dist/function.zip and create/update the CloudFormation stack in
# us-east-1. Called by `make deploy`; see deploy/README.md.
#
# Variables (environment or make command line):
#   STACK          stack name (default vips-edge); the function is "<STACK>-resizer"
#   CODE_BUCKET    required: existing S3 bucket in us-east-1 for the zip
#   CODE_PREFIX    key prefix in CODE_BUCKET (default vips-edge/<STACK>)
#   ORIGIN_TYPE    s3 (default) | custom
#   SOURCE_BUCKET  required when ORIGIN_TYPE=s3: bucket with the original images
#   SOURCE_BUCKET_REGION  region of SOURCE_BUCKET (default us-east-1)
#   MANAGE_BUCKET_POLICY  true (default: the stack REPLACES SOURCE_BUCKET's bucket policy) | false
#   ORIGIN_DOMAIN  required when ORIGIN_TYPE=custom: origin host name, e.g. images.example.org
#   ORIGIN_PROTOCOL https (default) | http   (custom origins)
#   MEMORY, TIMEOUT, RUNTIME, PRICE_CLASS   optional template parameters
#   ORIGIN_SHIELD  off (default) | the region nearest the origin, e.g. eu-west-1 (README "Origin Shield")
#   ZIP            the package to deploy (default dist/function.zip)
# Exit status: 0 deployed, 2 precondition failed (no aws CLI, no credentials, no zip, bad
# variable), anything else = the AWS CLI failed.
set -euo pipefail

SCRIPT=deploy.sh
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

STACK=${STACK:-vips-edge}
ORIGIN_TYPE=${ORIGIN_TYPE:-s3}
ZIP=${ZIP:-$ROOT/dist/function.zip}
TEMPLATE=$HERE/template.yaml

# --- local preconditions first (no AWS call before they all hold) ---
require_aws_cli
check_stack_name
[[ -n "${CODE_BUCKET:-}" ]] || die "CODE_BUCKET is not set: the S3 bucket (in us-east-1) that receives the function zip, e.g. make deploy CODE_BUCKET=my-artifacts ..."
case "$ORIGIN_TYPE" in
  s3) [[ -n "${SOURCE_BUCKET:-}" ]] || die "ORIGIN_TYPE=s3 needs SOURCE_BUCKET (the bucket with the original images)." ;;
  custom) [[ -n "${ORIGIN_DOMAIN:-}" ]] || die "ORIGIN_TYPE=custom needs ORIGIN_DOMAIN (origin host name, no scheme)."
    [[ "$ORIGIN_DOMAIN" != *"://"* && "$ORIGIN_DOMAIN" != */* ]] || die "ORIGIN_DOMAIN='$ORIGIN_DOMAIN' must be a bare host name (no scheme, no path)." ;;
  *) die "ORIGIN_TYPE='$ORIGIN_TYPE' must be s3 or custom." ;;
esac
[[ -f "$ZIP" ]] || die "$ZIP not found: build it first with 'make package' (optionally CONFIG=path/to/config.json)."
[[ -f "$TEMPLATE" ]] || die "$TEMPLATE not found."
# The CloudFront Function rounds client hints to the package's ladder (config.json
# clientHints, deploy/scripts/ladder.mjs): it cannot read config.json, so the
# template deployed says it. NODE: make deploy passes the Lambda runtime's node.
DEPLOY_TEMPLATE=$(mktemp --suffix=.yaml)
trap 'rm -f "$DEPLOY_TEMPLATE"' EXIT
"${NODE:-node}" "$HERE/scripts/ladder.mjs" "$ZIP" "$TEMPLATE" "$DEPLOY_TEMPLATE" >/dev/null ||
  die "cannot read the client-hint ladder from $ZIP's config.json (build it with 'make package')"

# Content hash in the key: a new build => new CodeKey => new numbered Lambda version.
HASH=$(sha256sum "$ZIP" | cut -d' ' -f1)
CODE_PREFIX=${CODE_PREFIX:-vips-edge/$STACK}
CODE_KEY="${CODE_PREFIX%/}/function-${HASH:0:20}.zip"
# Lambda's CodeSha256 is the base64 of the raw digest (optional safety check).
CODE_SHA256=""
if command -v openssl >/dev/null 2>&1; then
  CODE_SHA256=$(openssl dgst -sha256 -binary "$ZIP" | base64 | tr -d '\n')
fi

# --- AWS preconditions ---
require_credentials

location=$(aws s3api get-bucket-location --region "$REGION" --bucket "$CODE_BUCKET" --query LocationConstraint --output text 2>&1) ||
  die "cannot read bucket CODE_BUCKET=$CODE_BUCKET: ${location}"
case "$location" in
  None | null | "" | us-east-1) ;;
  *) die "CODE_BUCKET=$CODE_BUCKET is in $location; Lambda reads the zip from the function's region, so it must be in us-east-1." ;;
esac

# A failed first create leaves the stack in ROLLBACK_COMPLETE (not updatable) and, because the
# function is retained on delete, may leave "<STACK>-resizer" behind: both block a deploy.
status=$(aws cloudformation describe-stacks --region "$REGION" --stack-name "$STACK" \
  --query 'Stacks[0].StackStatus' --output text 2>/dev/null) || status=NONE
case "$status" in
  ROLLBACK_COMPLETE | ROLLBACK_FAILED | DELETE_FAILED)
    die "stack $STACK is in $status and cannot be updated: run 'make undeploy STACK=$STACK' first, then deploy again." ;;
  NONE)
    if aws lambda get-function --region "$REGION" --function-name "$STACK-resizer" >/dev/null 2>&1; then
      die "function $STACK-resizer exists but stack $STACK does not (left over from an earlier stack): run 'make undeploy STACK=$STACK' to delete it (it may have to wait for Lambda@Edge replicas), or pick another STACK."
    fi ;;
esac

# --- upload ---
if aws s3api head-object --bucket "$CODE_BUCKET" --key "$CODE_KEY" --region "$REGION" >/dev/null 2>&1; then
  log "s3://$CODE_BUCKET/$CODE_KEY already uploaded (same content hash)"
else
  log "uploading $ZIP to s3://$CODE_BUCKET/$CODE_KEY"
  aws s3 cp "$ZIP" "s3://$CODE_BUCKET/$CODE_KEY" --region "$REGION" --only-show-errors
fi

# --- deploy ---
params=("CodeBucket=$CODE_BUCKET" "CodeKey=$CODE_KEY" "CodeSha256=$CODE_SHA256" "OriginType=$ORIGIN_TYPE")
if [[ "$ORIGIN_TYPE" == s3 ]]; then
  params+=("SourceBucketName=$SOURCE_BUCKET" "CustomOriginDomain=")
  if [[ -n "${SOURCE_BUCKET_REGION:-}" ]]; then params+=("SourceBucketRegion=$SOURCE_BUCKET_REGION"); fi
  if [[ -n "${MANAGE_BUCKET_POLICY:-}" ]]; then params+=("ManageSourceBucketPolicy=$MANAGE_BUCKET_POLICY"); fi
else
  params+=("CustomOriginDomain=$ORIGIN_DOMAIN" "SourceBucketName=")
  if [[ -n "${ORIGIN_PROTOCOL:-}" ]]; then params+=("CustomOriginProtocol=$ORIGIN_PROTOCOL"); fi
fi
if [[ -n "${MEMORY:-}" ]]; then params+=("MemorySize=$MEMORY"); fi
if [[ -n "${TIMEOUT:-}" ]]; then params+=("Timeout=$TIMEOUT"); fi
if [[ -n "${RUNTIME:-}" ]]; then params+=("Runtime=$RUNTIME"); fi
if [[ -n "${PRICE_CLASS:-}" ]]; then params+=("PriceClass=$PRICE_CLASS"); fi
if [[ -n "${ORIGIN_SHIELD:-}" ]]; then params+=("OriginShieldRegion=$ORIGIN_SHIELD"); fi

log "deploying stack $STACK (CloudFront changes take several minutes)"
aws cloudformation deploy \
  --region "$REGION" \
  --stack-name "$STACK" \
  --template-file "$DEPLOY_TEMPLATE" \
  --capabilities CAPABILITY_IAM \
  --no-fail-on-empty-changeset \
  --parameter-overrides "${params[@]}"

output() {
  aws cloudformation describe-stacks --region "$REGION" --stack-name "$STACK" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}
DOMAIN=$(output DistributionDomainName)
VERSION_ARN=$(output FunctionVersionArn)
LOG_GROUP=$(output LogGroupName)

echo "Distribution: https://$DOMAIN"
echo "Function version: $VERSION_ARN"
echo "Logs: $LOG_GROUP (in the CloudWatch region of each edge location that ran it)"
echo "Try: curl -sI 'https://$DOMAIN/<image path>?w=400&format=auto' -H 'Accept: image/webp'"
