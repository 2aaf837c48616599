// The container's health check (Dockerfile HEALTHCHECK, ECS healthCheck): exit 0 when healthy,
// 1 otherwise, with the reason on one line (Docker and ECS keep the last lines of output).
import { checkHealth, healthOptionsFromEnv } from './health.ts';

const health = await checkHealth(healthOptionsFromEnv(process.env));
process.stdout.write(`${health.healthy ? 'healthy' : 'unhealthy'}: ${health.reason}\n`);
process.exitCode = health.healthy ? 0 : 1;
