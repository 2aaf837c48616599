// Admin cases: CreateTopics, DeleteTopics, CreatePartitions, DescribeConfigs, AlterConfigs,
// IncrementalAlterConfigs, DeleteRecords, DescribeAcls, CreateAcls, DeleteAcls.
import { AlterConfigs } from '../../../src/protocol/apis/alter-configs.ts';
import { CreateAcls } from '../../../src/protocol/apis/create-acls.ts';
import { CreatePartitions } from '../../../src/protocol/apis/create-partitions.ts';
import { CreateTopics } from '../../../src/protocol/apis/create-topics.ts';
import { DeleteAcls } from '../../../src/protocol/apis/delete-acls.ts';
import { DeleteRecords } from '../../../src/protocol/apis/delete-records.ts';
import { DeleteTopics } from '../../../src/protocol/apis/delete-topics.ts';
import { DescribeAcls } from '../../../src/protocol/apis/describe-acls.ts';
import { DescribeConfigs } from '../../../src/protocol/apis/describe-configs.ts';
import { IncrementalAlterConfigs } from '../../../src/protocol/apis/incremental-alter-configs.ts';
import { ZERO_UUID } from '../../../src/protocol/schema.ts';
import { uuidBuffer } from '../peers.ts';
import { kjsReq, kjsRes, pltReq, pltRes, type RequestCase, type ResponseCase, versions } from './kit.ts';

const CLICKS_ID = '5b6e3a52-8d4f-4c1e-9a7b-2f0c1d9e8a11';
const ORDERS_ID = 'c0ffee00-1234-4abc-8def-001122334455';
// Kafka's resource types: TOPIC = 2, GROUP = 3, BROKER = 4; pattern types LITERAL = 3, PREFIXED = 4.
const TOPIC = 2;
const GROUP = 3;
const BROKER = 4;

function throttle(v: number, since: number, clientSide: number, ms: number) {
  if (v >= clientSide) return { throttleTime: 0, clientSideThrottleTime: ms };
  return v >= since ? { throttleTime: ms } : {};
}

/** Renames keys everywhere in a peer's output (platformatic says resourcePatternType where Kafka says PatternType). */
function renameKeys(v: unknown, names: Record<string, string>): unknown {
  if (Array.isArray(v)) return v.map((x) => renameKeys(x, names));
  if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [names[k] ?? k, renameKeys(x, names)]));
  }
  return v;
}

// ---- CreateTopics ----

const createTopicsCanonical = {
  topics: [
    {
      name: 'clicks',
      numPartitions: 6,
      replicationFactor: 3,
      assignments: [],
      configs: [
        { name: 'cleanup.policy', value: 'delete' },
        { name: 'retention.ms', value: '604800000' },
      ],
    },
    {
      name: 'orders',
      numPartitions: -1,
      replicationFactor: -1,
      assignments: [
        { partitionIndex: 0, brokerIds: [1, 2] },
        { partitionIndex: 1, brokerIds: [2, 1] },
      ],
      configs: [],
    },
  ],
  timeoutMs: 30000,
  validateOnly: true,
};

const createTopicsResponse = {
  throttleTimeMs: 0,
  topics: [
    {
      name: 'clicks',
      topicId: uuidBuffer(CLICKS_ID),
      errorCode: 0,
      errorMessage: null,
      topicConfigErrorCode: 0,
      numPartitions: 6,
      replicationFactor: 3,
      configs: [
        { name: 'cleanup.policy', value: 'delete', readOnly: false, configSource: 1, isSensitive: false },
        { name: 'retention.ms', value: '604800000', readOnly: false, configSource: 1, isSensitive: false },
      ],
    },
    {
      name: 'orders',
      topicId: uuidBuffer(ORDERS_ID),
      errorCode: 0,
      errorMessage: null,
      // A tagged field inside an array element (v5+): the configs could not be described.
      topicConfigErrorCode: 29,
      numPartitions: 2,
      replicationFactor: 2,
      configs: null,
    },
  ],
};

const createTopics = {
  requests: [
    ...versions(0, 7).map((v) => pltReq(CreateTopics, v, [createTopicsCanonical.topics, 30000, true], createTopicsCanonical)),
    ...versions(0, 3).map((v) =>
      kjsReq(
        CreateTopics,
        'createTopics',
        v,
        {
          topics: createTopicsCanonical.topics.map((t) => ({
            topic: t.name,
            numPartitions: t.numPartitions,
            replicationFactor: t.replicationFactor,
            replicaAssignment: t.assignments.map((a) => ({ partition: a.partitionIndex, replicas: a.brokerIds })),
            configEntries: t.configs,
          })),
          timeout: 30000,
          validateOnly: true,
        },
        createTopicsCanonical,
      ),
    ),
  ],
  responses: [
    // Before v5 platformatic reports configs as null and no partition counts of its own.
    ...versions(0, 7).map((v) => pltRes(CreateTopics, v, createTopicsResponse, v < 5 ? { ignore: ['/topics/*/configs'] } : {})),
    ...versions(0, 3).map((v) =>
      kjsRes(CreateTopics, 'createTopics', v, createTopicsResponse, {
        ...throttle(v, 2, 3, 0),
        topicErrors: createTopicsResponse.topics.map((t) => ({ topic: t.name, errorCode: 0, ...(v >= 1 && { errorMessage: null }) })),
      }),
    ),
  ],
};

// ---- DeleteTopics ----

const deleteTopicsCanonical = (v: number) =>
  v >= 6
    ? {
        topics: [
          { name: 'clicks', topicId: ZERO_UUID },
          { name: null, topicId: uuidBuffer(ORDERS_ID) },
        ],
        timeoutMs: 30000,
      }
    : { topicNames: ['clicks', 'orders'], timeoutMs: 30000 };

const deleteTopicsResponse = {
  throttleTimeMs: 0,
  responses: [
    { name: 'clicks', topicId: uuidBuffer(CLICKS_ID), errorCode: 0, errorMessage: null },
    { name: 'orders', topicId: uuidBuffer(ORDERS_ID), errorCode: 3, errorMessage: 'This server does not host this topic-partition.' },
  ],
};

const deleteTopics = {
  requests: [
    ...versions(0, 6).map((v) =>
      pltReq(
        DeleteTopics,
        v,
        [
          v >= 6
            ? [
                { name: 'clicks', topicId: null },
                { name: null, topicId: ORDERS_ID },
              ]
            : [{ name: 'clicks' }, { name: 'orders' }],
          30000,
        ],
        deleteTopicsCanonical(v),
      ),
    ),
    ...versions(0, 1).map((v) =>
      kjsReq(DeleteTopics, 'deleteTopics', v, { topics: ['clicks', 'orders'], timeout: 30000 }, deleteTopicsCanonical(v)),
    ),
  ],
  responses: [
    ...versions(0, 6).map((v) => pltRes(DeleteTopics, v, deleteTopicsResponse)),
    ...versions(0, 1).map((v) =>
      kjsRes(DeleteTopics, 'deleteTopics', v, deleteTopicsResponse, {
        ...throttle(v, 1, 1, 0),
        topicErrors: [
          { topic: 'clicks', errorCode: 0 },
          { topic: 'orders', errorCode: 3 },
        ],
      }),
    ),
  ],
};

// ---- CreatePartitions ----

const createPartitionsCanonical = {
  topics: [
    { name: 'clicks', count: 12, assignments: null },
    {
      name: 'orders',
      count: 4,
      assignments: [{ brokerIds: [1, 2] }, { brokerIds: [2, 1] }],
    },
  ],
  timeoutMs: 30000,
  validateOnly: true,
};

const createPartitionsResponse = {
  throttleTimeMs: 0,
  results: [
    { name: 'clicks', errorCode: 0, errorMessage: null },
    { name: 'orders', errorCode: 37, errorMessage: 'Topic already has 4 partitions.' },
  ],
};

const createPartitions = {
  requests: [
    ...versions(0, 3).map((v) => pltReq(CreatePartitions, v, [createPartitionsCanonical.topics, 30000, true], createPartitionsCanonical)),
    // kafkajs writes an empty assignment list as null.
    ...versions(0, 1).map((v) =>
      kjsReq(
        CreatePartitions,
        'createPartitions',
        v,
        {
          topicPartitions: [
            { topic: 'clicks', count: 12, assignments: [] },
            {
              topic: 'orders',
              count: 4,
              assignments: [
                [1, 2],
                [2, 1],
              ],
            },
          ],
          timeout: 30000,
          validateOnly: true,
        },
        createPartitionsCanonical,
      ),
    ),
  ],
  responses: [
    ...versions(0, 3).map((v) => pltRes(CreatePartitions, v, createPartitionsResponse)),
    ...versions(0, 1).map((v) =>
      kjsRes(CreatePartitions, 'createPartitions', v, createPartitionsResponse, {
        ...throttle(v, 0, 1, 0),
        topicErrors: createPartitionsResponse.results.map((r) => ({ topic: r.name, errorCode: r.errorCode, errorMessage: r.errorMessage })),
      }),
    ),
  ],
};

// ---- DescribeConfigs ----

const describeConfigsCanonical = {
  resources: [
    { resourceType: TOPIC, resourceName: 'clicks', configurationKeys: ['retention.ms', 'cleanup.policy'] },
    { resourceType: BROKER, resourceName: '1', configurationKeys: null },
  ],
  includeSynonyms: true,
  includeDocumentation: true,
};

const describeConfigsResponse = {
  throttleTimeMs: 0,
  results: [
    {
      errorCode: 0,
      errorMessage: null,
      resourceType: TOPIC,
      resourceName: 'clicks',
      configs: [
        {
          name: 'retention.ms',
          value: '604800000',
          readOnly: false,
          isDefault: false,
          configSource: 1,
          isSensitive: false,
          synonyms: [
            { name: 'retention.ms', value: '604800000', source: 1 },
            { name: 'log.retention.ms', value: null, source: 5 },
          ],
          configType: 5,
          documentation: 'How long to keep a log segment before deleting it.',
        },
        {
          name: 'cleanup.policy',
          value: 'delete',
          readOnly: false,
          isDefault: true,
          configSource: 5,
          isSensitive: false,
          synonyms: [],
          configType: 7,
          documentation: null,
        },
      ],
    },
  ],
};

const describeConfigs = {
  requests: [
    ...versions(0, 4).map((v) => pltReq(DescribeConfigs, v, [describeConfigsCanonical.resources, true, true], describeConfigsCanonical)),
    // kafkajs writes an empty key list as null (all configs).
    ...versions(0, 2).map((v) =>
      kjsReq(
        DescribeConfigs,
        'describeConfigs',
        v,
        {
          resources: [
            { type: TOPIC, name: 'clicks', configNames: ['retention.ms', 'cleanup.policy'] },
            { type: BROKER, name: '1', configNames: [] },
          ],
          includeSynonyms: true,
        },
        describeConfigsCanonical,
      ),
    ),
  ],
  responses: [
    ...versions(0, 4).map((v) => pltRes(DescribeConfigs, v, describeConfigsResponse)),
    ...versions(0, 2).map((v) =>
      kjsRes(DescribeConfigs, 'describeConfigs', v, describeConfigsResponse, {
        ...throttle(v, 0, 2, 0),
        resources: [
          {
            errorCode: 0,
            errorMessage: null,
            resourceType: TOPIC,
            resourceName: 'clicks',
            configEntries: [
              {
                configName: 'retention.ms',
                configValue: '604800000',
                readOnly: false,
                isDefault: false,
                isSensitive: false,
                ...(v >= 1 && {
                  configSource: 1,
                  configSynonyms: [
                    { configName: 'retention.ms', configValue: '604800000', configSource: 1 },
                    { configName: 'log.retention.ms', configValue: null, configSource: 5 },
                  ],
                }),
              },
              {
                configName: 'cleanup.policy',
                configValue: 'delete',
                isDefault: true,
                ...(v >= 1 && { configSource: 5, configSynonyms: [] }),
              },
            ],
          },
        ],
      }),
    ),
  ],
};

// ---- AlterConfigs and IncrementalAlterConfigs ----

const alterConfigsCanonical = {
  resources: [
    {
      resourceType: TOPIC,
      resourceName: 'clicks',
      configs: [
        { name: 'retention.ms', value: '86400000' },
        { name: 'cleanup.policy', value: null },
      ],
    },
  ],
  validateOnly: false,
};

const alterResponse = {
  throttleTimeMs: 0,
  responses: [
    { errorCode: 0, errorMessage: null, resourceType: TOPIC, resourceName: 'clicks' },
    { errorCode: 40, errorMessage: 'Unknown config retention.mz', resourceType: TOPIC, resourceName: 'orders' },
  ],
};

const alterConfigs = {
  requests: [
    ...versions(0, 2).map((v) => pltReq(AlterConfigs, v, [alterConfigsCanonical.resources, false], alterConfigsCanonical)),
    ...versions(0, 1).map((v) =>
      kjsReq(
        AlterConfigs,
        'alterConfigs',
        v,
        { resources: [{ type: TOPIC, name: 'clicks', configEntries: alterConfigsCanonical.resources[0]?.configs }], validateOnly: false },
        alterConfigsCanonical,
      ),
    ),
  ],
  responses: [
    ...versions(0, 2).map((v) => pltRes(AlterConfigs, v, alterResponse)),
    ...versions(0, 1).map((v) =>
      kjsRes(AlterConfigs, 'alterConfigs', v, alterResponse, { ...throttle(v, 0, 1, 0), resources: alterResponse.responses }),
    ),
  ],
};

const incrementalCanonical = {
  resources: [
    {
      resourceType: TOPIC,
      resourceName: 'clicks',
      configs: [
        { name: 'retention.ms', configOperation: 0, value: '86400000' },
        { name: 'cleanup.policy', configOperation: 1, value: null },
      ],
    },
    { resourceType: BROKER, resourceName: '1', configs: [{ name: 'log.cleaner.threads', configOperation: 0, value: '2' }] },
  ],
  validateOnly: true,
};

const incrementalAlterConfigs = {
  requests: versions(0, 1).map((v) => pltReq(IncrementalAlterConfigs, v, [incrementalCanonical.resources, true], incrementalCanonical)),
  responses: versions(0, 1).map((v) => pltRes(IncrementalAlterConfigs, v, alterResponse)),
};

// ---- DeleteRecords ----

const deleteRecordsCanonical = {
  topics: [
    {
      name: 'clicks',
      partitions: [
        { partitionIndex: 0, offset: 1000n },
        { partitionIndex: 2, offset: -1n },
      ],
    },
  ],
  timeoutMs: 30000,
};

const deleteRecordsResponse = {
  throttleTimeMs: 0,
  topics: [
    {
      name: 'clicks',
      partitions: [
        { partitionIndex: 0, lowWatermark: 1000n, errorCode: 0 },
        { partitionIndex: 2, lowWatermark: 77n, errorCode: 0 },
      ],
    },
  ],
};

const deleteRecords = {
  requests: [
    ...versions(0, 2).map((v) => pltReq(DeleteRecords, v, [deleteRecordsCanonical.topics, 30000], deleteRecordsCanonical)),
    ...versions(0, 1).map((v) =>
      kjsReq(
        DeleteRecords,
        'deleteRecords',
        v,
        {
          topics: [
            {
              topic: 'clicks',
              partitions: [
                { partition: 0, offset: '1000' },
                { partition: 2, offset: '-1' },
              ],
            },
          ],
          timeout: 30000,
        },
        deleteRecordsCanonical,
      ),
    ),
  ],
  responses: [
    ...versions(0, 2).map((v) => pltRes(DeleteRecords, v, deleteRecordsResponse)),
    ...versions(0, 1).map((v) =>
      kjsRes(DeleteRecords, 'deleteRecords', v, deleteRecordsResponse, {
        ...throttle(v, 0, 1, 0),
        topics: [
          {
            topic: 'clicks',
            partitions: [
              { partition: 0, lowWatermark: 1000n, errorCode: 0 },
              { partition: 2, lowWatermark: 77n, errorCode: 0 },
            ],
          },
        ],
      }),
    ),
  ],
};

// ---- ACLs ----

const aclFilter = {
  resourceTypeFilter: TOPIC,
  resourceNameFilter: 'clicks',
  patternTypeFilter: 3,
  principalFilter: 'User:processor',
  hostFilter: null,
  operation: 3,
  permissionType: 3,
};
const peerFilter = {
  resourceType: TOPIC,
  resourceName: 'clicks',
  resourcePatternType: 3,
  principal: 'User:processor',
  host: null,
  operation: 3,
  permissionType: 3,
};

const describeAclsResponse = {
  throttleTimeMs: 0,
  errorCode: 0,
  errorMessage: null,
  resources: [
    {
      resourceType: TOPIC,
      resourceName: 'clicks',
      patternType: 3,
      acls: [
        { principal: 'User:processor', host: '*', operation: 3, permissionType: 3 },
        { principal: 'User:processor', host: '10.0.0.7', operation: 4, permissionType: 2 },
      ],
    },
  ],
};

const creations = [
  {
    resourceType: TOPIC,
    resourceName: 'clicks',
    resourcePatternType: 3,
    principal: 'User:processor',
    host: '*',
    operation: 3,
    permissionType: 3,
  },
  {
    resourceType: GROUP,
    resourceName: 'clickstream-',
    resourcePatternType: 4,
    principal: 'User:processor',
    host: '*',
    operation: 1,
    permissionType: 3,
  },
];

const deleteAclsResponse = {
  throttleTimeMs: 0,
  filterResults: [
    {
      errorCode: 0,
      errorMessage: null,
      matchingAcls: [
        {
          errorCode: 0,
          errorMessage: null,
          resourceType: TOPIC,
          resourceName: 'clicks',
          patternType: 3,
          principal: 'User:processor',
          host: '*',
          operation: 3,
          permissionType: 3,
        },
      ],
    },
  ],
};

const toPatternType = (parsed: unknown) => renameKeys(parsed, { resourcePatternType: 'patternType' });

const acls = {
  requests: [
    ...versions(0, 3).map((v) => pltReq(DescribeAcls, v, [peerFilter], aclFilter)),
    ...versions(0, 1).map((v) => kjsReq(DescribeAcls, 'describeAcls', v, peerFilter, aclFilter)),
    ...versions(0, 3).map((v) => pltReq(CreateAcls, v, [creations], { creations })),
    ...versions(0, 1).map((v) => kjsReq(CreateAcls, 'createAcls', v, { creations }, { creations })),
    ...versions(0, 3).map((v) => pltReq(DeleteAcls, v, [[peerFilter]], { filters: [aclFilter] })),
    ...versions(0, 1).map((v) => kjsReq(DeleteAcls, 'deleteAcls', v, { filters: [peerFilter] }, { filters: [aclFilter] })),
  ],
  responses: [
    ...versions(0, 3).map((v) => pltRes(DescribeAcls, v, describeAclsResponse, { adapt: toPatternType })),
    ...versions(0, 1).map((v) =>
      kjsRes(DescribeAcls, 'describeAcls', v, describeAclsResponse, {
        ...throttle(v, 0, 1, 0),
        errorCode: 0,
        errorMessage: null,
        resources: describeAclsResponse.resources.map(({ patternType, ...r }) => ({
          ...r,
          ...(v >= 1 && { resourcePatternType: patternType }),
        })),
      }),
    ),
    ...versions(0, 3).map((v) =>
      pltRes(CreateAcls, v, {
        throttleTimeMs: 0,
        results: [
          { errorCode: 0, errorMessage: null },
          { errorCode: 0, errorMessage: null },
        ],
      }),
    ),
    ...versions(0, 1).map((v) =>
      kjsRes(
        CreateAcls,
        'createAcls',
        v,
        { throttleTimeMs: 0, results: [{ errorCode: 0, errorMessage: null }] },
        { ...throttle(v, 0, 1, 0), creationResponses: [{ errorCode: 0, errorMessage: null }] },
      ),
    ),
    ...versions(0, 3).map((v) => pltRes(DeleteAcls, v, deleteAclsResponse, { adapt: toPatternType })),
    ...versions(0, 1).map((v) =>
      kjsRes(DeleteAcls, 'deleteAcls', v, deleteAclsResponse, {
        ...throttle(v, 0, 1, 0),
        filterResponses: deleteAclsResponse.filterResults.map((f) => ({
          ...f,
          matchingAcls: f.matchingAcls.map(({ patternType, ...m }) => ({ ...m, ...(v >= 1 && { resourcePatternType: patternType }) })),
        })),
      }),
    ),
  ],
};

const all = [createTopics, deleteTopics, createPartitions, describeConfigs, alterConfigs, incrementalAlterConfigs, deleteRecords, acls];
export const requestCases: RequestCase[] = all.flatMap((a) => a.requests);
export const responseCases: ResponseCase[] = all.flatMap((a) => a.responses);
