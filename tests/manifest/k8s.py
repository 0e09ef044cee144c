"""The Kubernetes side of the manifest tests' oracle, written from
initdata-facts section 4 and independent of the tool: the Init-Data keys,
where each pod-bearing kind keeps its pod's metadata, and the data a manifest
must have once annotated.  Works on PyYAML's documents."""
import copy

CUR = "io.katacontainers.config.hypervisor.cc_init_data"
LEG = "io.katacontainers.config.runtime.cc_init_data"

# kind -> keys from the object to the mapping that holds the pod's metadata
PATHS = {
    "Pod": [],
    "Deployment": ["spec", "template"],
    "StatefulSet": ["spec", "template"],
    "DaemonSet": ["spec", "template"],
    "ReplicaSet": ["spec", "template"],
    "Job": ["spec", "template"],
    "ReplicationController": ["spec", "template"],
    "CronJob": ["spec", "jobTemplate", "spec", "template"],
    "PodTemplate": ["template"],
}


def pod_holder(o):
    """The mapping of a pod-bearing object that holds its pod's metadata."""
    t = o
    for k in PATHS[o["kind"]]:
        t = t[k]
    return t


def annotations_of(o):
    """The pod annotations of a pod-bearing object ({} when there are none)."""
    return (pod_holder(o).get("metadata") or {}).get("annotations") or {}


def annotated(data, value, keys, drop=()):
    """A copy of data (a list of documents) with value set under each of keys,
    and each key of drop removed, in the annotations Kubernetes reads, on every
    pod-bearing object (in Lists too); null metadata or annotations become
    mappings, and nothing else changes."""
    data = copy.deepcopy(data)

    def fix(o):
        if not isinstance(o, dict):
            return
        if o.get("kind") == "List":
            for it in o.get("items") or []:
                fix(it)
            return
        if o.get("kind") not in PATHS:
            return
        t = pod_holder(o)
        if t.get("metadata") is None:
            t["metadata"] = {}
        if t["metadata"].get("annotations") is None:
            t["metadata"]["annotations"] = {}
        ann = t["metadata"]["annotations"]
        for k in drop:
            ann.pop(k, None)
        for k in keys:
            ann[k] = value

    for d in data:
        fix(d)
    return data
