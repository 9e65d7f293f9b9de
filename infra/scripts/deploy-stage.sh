#!/usr/bin/env bash
# Deploys one Herald stage so that no new task takes traffic before the schema is migrated:
#
#   foundation  network, data and platform stacks (cluster + migration task definition, which
#               carries the new worker image); their outputs go to $HERALD_OUTPUTS_FILE
#   migrate     runs the migration task once (aws ecs run-task), waits for it to stop and fails
#               unless its container exited 0; prints its log either way
#   services    services and monitoring stacks only (--exclusively): new tasks start against the
#               migrated schema
#   all         the three in order, with the current credentials (a person with admin rights)
#
# The deploy workflow runs the phases separately because each needs a different OIDC role.
# Usage: deploy-stage.sh <dev|prod> [foundation|migrate|services|all]
set -euo pipefail

stage="${1:?usage: deploy-stage.sh <dev|prod> [foundation|migrate|services|all]}"
phase="${2:-all}"
case "$stage" in dev | prod) ;; *) echo "unknown stage '$stage' (dev or prod)" >&2; exit 2 ;; esac

cd "$(dirname "$0")/.."
export CDK_DISABLE_CLI_TELEMETRY=true
outputs="${HERALD_OUTPUTS_FILE:-${RUNNER_TEMP:-/tmp}/herald-${stage}-outputs.json}"
platform="herald-${stage}-platform"

cdk() {
  npx cdk "$@" --context "stage=${stage}" --require-approval never --progress events
}

# Reads one output of the platform stack: from the file `cdk deploy` wrote, else from CloudFormation.
output() {
  if [[ -f "$outputs" ]]; then
    node -e '
      const [file, stack, key] = process.argv.slice(1);
      const value = JSON.parse(require("node:fs").readFileSync(file, "utf8"))[stack]?.[key];
      if (!value) { console.error(`no output ${stack}.${key} in ${file}`); process.exit(1); }
      console.log(value);' "$outputs" "$platform" "$1"
  else
    aws cloudformation describe-stacks --stack-name "$platform" \
      --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue | [0]" --output text
  fi
}

foundation() {
  cdk deploy "herald-${stage}-network" "herald-${stage}-data" "$platform" --outputs-file "$outputs"
}

migrate() {
  local cluster task_definition subnets security_group container log_group task exit_code reason
  cluster="$(output ClusterName)"
  task_definition="$(output MigrationTaskDefinitionArn)"
  subnets="$(output MigrationSubnets)"
  security_group="$(output MigrationSecurityGroup)"
  container="$(output MigrationContainerName)"
  log_group="$(output MigrationLogGroup)"

  echo "Running ${task_definition} in ${cluster}"
  task="$(aws ecs run-task --cluster "$cluster" --task-definition "$task_definition" --count 1 \
    --launch-type FARGATE --started-by "deploy-${GITHUB_RUN_ID:-manual}" \
    --network-configuration "awsvpcConfiguration={subnets=[${subnets}],securityGroups=[${security_group}],assignPublicIp=DISABLED}" \
    --query 'tasks[0].taskArn' --output text)"
  if [[ -z "$task" || "$task" == "None" ]]; then
    echo "::error::run-task started no task (capacity or permissions); see the output above" >&2
    exit 1
  fi
  echo "Started ${task}; waiting for it to stop"
  # One wait polls for 10 minutes; a long migration gets three.
  for _ in 1 2 3; do
    aws ecs wait tasks-stopped --cluster "$cluster" --tasks "$task" && break
  done

  exit_code="$(aws ecs describe-tasks --cluster "$cluster" --tasks "$task" \
    --query "tasks[0].containers[?name=='${container}'].exitCode | [0]" --output text)"
  reason="$(aws ecs describe-tasks --cluster "$cluster" --tasks "$task" --query 'tasks[0].stoppedReason' --output text)"
  echo "---- migration log (${log_group}) ----"
  aws logs get-log-events --log-group-name "$log_group" --log-stream-name "migrate/${container}/${task##*/}" \
    --start-from-head --query 'events[].message' --output text || echo "(log not readable)"
  echo "---- end of migration log ----"
  if [[ "$exit_code" != "0" ]]; then
    echo "::error::migration task exited '${exit_code}' (${reason}): the services were not deployed" >&2
    exit 1
  fi
  echo "Migrations applied"
}

services() {
  cdk deploy "herald-${stage}-services" "herald-${stage}-monitoring" --exclusively
}

case "$phase" in
  foundation) foundation ;;
  migrate) migrate ;;
  services) services ;;
  # Plain sequence, not &&: errexit is off inside functions that run as part of an && list.
  all)
    foundation
    migrate
    services
    ;;
  *) echo "unknown phase '$phase' (foundation, migrate, services or all)" >&2; exit 2 ;;
esac
