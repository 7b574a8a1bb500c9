#!/usr/bin/env bash
# Remove a vips-edge deployment. Called by `make undeploy`; see deploy/README.md.
#
#   STACK              stack name (default vips-edge)
#   WAIT_FOR_REPLICAS  1 = keep retrying the function delete every 10 minutes (up to
#                      MAX_WAIT_MINUTES, default 360) instead of returning at once
#
# 1. deletes the CloudFormation stack in us-east-1 (CloudFront disables, then deletes the
#    distribution: this alone takes a while);
# 2. deletes the Lambda@Edge function "<STACK>-resizer" and all its versions. The stack
#    retains it on purpose: CloudFront removes the replicas asynchronously, and Lambda refuses
#    to delete a replicated function until they are gone (usually within a few hours after the
#    distribution let go of it). If that is still the case, this script says so and exits 0;
#    re-run `make undeploy STACK=...` later (it skips the already-deleted stack).
# Left in place on purpose: the zips in CODE_BUCKET, the source bucket, and the CloudWatch log
# groups /aws/lambda/us-east-1.<STACK>-resizer in each region where the function ran.
# Exit status: 0 done or function deletion pending, 2 precondition failed, 1 AWS failure.
set -euo pipefail

SCRIPT=undeploy.sh
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

STACK=${STACK:-vips-edge}
FUNCTION="$STACK-resizer"
WAIT_FOR_REPLICAS=${WAIT_FOR_REPLICAS:-0}
MAX_WAIT_MINUTES=${MAX_WAIT_MINUTES:-360}
RETRY_SECONDS=${RETRY_SECONDS:-600}

require_aws_cli
check_stack_name
require_credentials

status=$(aws cloudformation describe-stacks --region "$REGION" --stack-name "$STACK" \
  --query 'Stacks[0].StackStatus' --output text 2>/dev/null) || status=NONE

if [[ "$status" == NONE || "$status" == DELETE_COMPLETE ]]; then
  log "stack $STACK does not exist (already deleted?)"
else
  log "deleting stack $STACK (status $status); CloudFront must disable the distribution first, this can take 15+ minutes"
  aws cloudformation delete-stack --region "$REGION" --stack-name "$STACK"
  if ! aws cloudformation wait stack-delete-complete --region "$REGION" --stack-name "$STACK"; then
    echo "$SCRIPT: stack deletion did not complete; recent failures:" >&2
    aws cloudformation describe-stack-events --region "$REGION" --stack-name "$STACK" \
      --query "StackEvents[?contains(ResourceStatus, 'FAILED')].[LogicalResourceId,ResourceStatusReason]" \
      --output text 2>/dev/null | head -n 10 >&2 || true
    exit 1
  fi
  log "stack $STACK deleted"
fi

deadline=$(($(date +%s) + MAX_WAIT_MINUTES * 60))
while :; do
  if out=$(aws lambda delete-function --region "$REGION" --function-name "$FUNCTION" 2>&1); then
    log "function $FUNCTION and all its versions deleted"
    exit 0
  fi
  case "$out" in
    *ResourceNotFoundException* | *"Function not found"*)
      log "function $FUNCTION does not exist (already deleted)"
      exit 0 ;;
    *replicated* | *Replicated*)
      if [[ "$WAIT_FOR_REPLICAS" != 1 ]]; then
        echo "$SCRIPT: PENDING: $FUNCTION is still replicated to CloudFront edge locations; Lambda can only"
        echo "  delete it after CloudFront has removed the replicas (usually a few hours after the"
        echo "  distribution was deleted). Run 'make undeploy STACK=$STACK' again later, or"
        echo "  'make undeploy STACK=$STACK WAIT_FOR_REPLICAS=1' to keep retrying. Nothing else is left."
        exit 0
      fi
      if (($(date +%s) + RETRY_SECONDS > deadline)); then
        echo "$SCRIPT: $FUNCTION still replicated after ${MAX_WAIT_MINUTES} minutes; re-run later." >&2
        exit 1
      fi
      log "replicas of $FUNCTION still exist; retrying in $((RETRY_SECONDS / 60)) minutes"
      sleep "$RETRY_SECONDS" ;;
    *)
      echo "$SCRIPT: deleting $FUNCTION failed: $out" >&2
      exit 1 ;;
  esac
done
