/** The state machine definition of the real stack, synthesized without bundling and rendered to ASL. */
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { renderDefinition } from './render-definition.ts';
import { synthStack } from './synth.ts';

export function synthesizedDefinition(): StateMachineDefinition {
  const synthesized = synthStack();
  try {
    return renderDefinition(synthesized.json) as unknown as StateMachineDefinition;
  } finally {
    synthesized.cleanup();
  }
}
