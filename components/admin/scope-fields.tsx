const INPUT =
  "mt-1 block w-full rounded-md border border-slate-300 px-2.5 py-1.5 font-mono text-sm focus:border-slate-500 focus:outline-none";

export interface ScopeValues {
  targets: string[];
  namespaces: string;
  teams: string;
}

/**
 * What a user or token may see: whole targets, namespaces of a target, teams; a workload inside any of them is
 * visible. Nothing chosen = the whole fleet.
 */
export function ScopeFields({
  targets,
  values,
  idPrefix,
}: {
  targets: string[];
  values?: ScopeValues;
  idPrefix: string;
}) {
  return (
    <fieldset className="min-w-0 space-y-3 rounded-md border border-slate-200 p-3">
      <legend className="px-1 text-sm font-medium text-slate-700">Limit to (nothing chosen: the whole fleet)</legend>
      {targets.length > 0 ? (
        <div className="text-sm">
          <span className="font-medium text-slate-700">Targets</span>
          <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
            {targets.map((name) => (
              <label key={name} className="flex items-center gap-1.5 break-all">
                <input
                  type="checkbox"
                  name="scopeTargets"
                  value={name}
                  defaultChecked={values?.targets.includes(name)}
                />
                {name}
              </label>
            ))}
          </div>
        </div>
      ) : null}
      <div className="grid grid-cols-1 gap-3 md:grid-cols-2">
        <label className="block text-sm" htmlFor={`${idPrefix}-namespaces`}>
          <span className="font-medium text-slate-700">Namespaces, one target/namespace a line</span>
          <textarea
            id={`${idPrefix}-namespaces`}
            name="scopeNamespaces"
            rows={2}
            defaultValue={values?.namespaces}
            placeholder="prod-cluster/payments"
            className={INPUT}
          />
        </label>
        <label className="block text-sm" htmlFor={`${idPrefix}-teams`}>
          <span className="font-medium text-slate-700">Teams, one a line</span>
          <textarea
            id={`${idPrefix}-teams`}
            name="scopeTeams"
            rows={2}
            defaultValue={values?.teams}
            placeholder="payments"
            className={INPUT}
          />
        </label>
      </div>
    </fieldset>
  );
}
