import type { StackInfo } from './stack-info';

export type StackComponent = 'postgres' | 'aws';

/** Stops or starts a part of the running test stack (chaos tests); resolves once it is done. */
export async function controlStack(
  stack: StackInfo,
  component: StackComponent,
  action: 'stop' | 'start',
): Promise<void> {
  const response = await fetch(`${stack.controlUrl}/${component}/${action}`, { method: 'POST' });
  if (!response.ok)
    throw new Error(
      `stack control ${component}/${action} failed: ${response.status} ${await response.text()}`,
    );
}
