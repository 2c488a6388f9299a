import type { InvolvedObject, KubeEvent } from '../../src/event/model.js';

export type KubeEventInit = Partial<Omit<KubeEvent, 'involvedObject'>> & {
  involvedObject?: Partial<InvolvedObject>;
};

/**
 * A KubeEvent for tests: a BackOff warning on Pod shop/web-1 unless `init`
 * says otherwise. The involved object's namespace follows `init.namespace`.
 */
export function kubeEvent(init: KubeEventInit = {}): KubeEvent {
  const { involvedObject, ...rest } = init;
  const namespace = rest.namespace ?? 'shop';
  return {
    apiGroup: 'core/v1',
    uid: 'u-1',
    resourceVersion: '1',
    name: 'web-1.17a',
    type: 'Warning',
    reason: 'BackOff',
    message: 'Back-off restarting failed container',
    reportingComponent: 'kubelet',
    reportingInstance: '',
    host: '',
    action: '',
    count: 1,
    firstTimestamp: '',
    lastTimestamp: '',
    raw: {},
    ...rest,
    namespace,
    involvedObject: {
      kind: 'Pod',
      namespace,
      name: 'web-1',
      uid: '',
      apiVersion: 'v1',
      fieldPath: '',
      ...involvedObject,
    },
  };
}
