// CreateRegistry, GetRegistry, ListRegistries, UpdateRegistry, DeleteRegistry.
import { registryArn } from '../arn.ts';
import * as f from '../fields.ts';
import { optString, required } from '../input.ts';
import { paginate } from '../pagination.ts';
import { registryItem } from '../shapes.ts';
import { type GlueOperation, tokenOf } from './context.ts';

export const createRegistry: GlueOperation = async (input, { backend, scope }) => {
  const name = f.name(required(optString(input, 'RegistryName'), 'RegistryName'), 'RegistryName');
  const r = await backend.createRegistry({ name, description: f.optDescription(input), tags: f.tags(input) });
  return { RegistryArn: registryArn(scope, r.name), RegistryName: r.name, Description: r.description, Tags: r.tags };
};

export const getRegistry: GlueOperation = async (input, { backend, scope }) => {
  const name = required(f.registryId(input), 'RegistryId');
  return registryItem(scope, await backend.getRegistry(name));
};

export const listRegistries: GlueOperation = async (input, { backend, scope }) => {
  const maxResults = f.maxResults(input, 100);
  const nextToken = tokenOf(optString(input, 'NextToken'));
  const page = paginate(await backend.listRegistries(), (r) => r.name, { scope: 'ListRegistries', maxResults, nextToken });
  return { Registries: page.items.map((r) => registryItem(scope, r)), NextToken: page.nextToken };
};

export const updateRegistry: GlueOperation = async (input, { backend, scope }) => {
  const name = required(f.registryId(input), 'RegistryId');
  const description = required(f.optDescription(input), 'Description');
  const r = await backend.updateRegistry(name, description);
  return { RegistryName: r.name, RegistryArn: registryArn(scope, r.name) };
};

// Glue deletes asynchronously and answers DELETING; Brook's delete is done when this returns, so a
// client polling GetRegistry (as Terraform does) sees EntityNotFoundException at once.
export const deleteRegistry: GlueOperation = async (input, { backend, scope }) => {
  const name = required(f.registryId(input), 'RegistryId');
  const r = await backend.deleteRegistry(name);
  return { RegistryName: r.name, RegistryArn: registryArn(scope, r.name), Status: 'DELETING' };
};
