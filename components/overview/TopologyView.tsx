'use client';

import { Background, Controls, Handle, Position, ReactFlow, type Edge, type Node, type NodeProps } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo, useRef, useState } from 'react';
import { columnsFor, layoutTopology } from './layout';
import type { Topology } from '@/lib/wire';

type Data = Record<string, unknown>;
const hidden = { opacity: 0 };

function VmBox({ data }: NodeProps<Node<Data>>) {
  return (
    <div className="h-full w-full rounded-lg border-2 border-dashed border-zinc-300 bg-zinc-50/80 p-2 dark:border-zinc-700 dark:bg-zinc-900/80">
      <p className="text-sm font-semibold">{String(data.name)}</p>
      <p className="font-mono text-xs text-zinc-500">
        {String(data.address ?? 'no address')} · {String(data.state)}
      </p>
    </div>
  );
}

function NodeBox({ data }: NodeProps<Node<Data>>) {
  const pods = data.pods as { namespace: string; name: string; ready: boolean }[];
  return (
    <div className="h-full w-full rounded-md border border-sky-300 bg-white p-2 shadow-sm dark:border-sky-800 dark:bg-zinc-950">
      <Handle type="target" position={Position.Top} style={hidden} />
      <p className="text-xs font-semibold">
        node {String(data.name)}{' '}
        <span className={data.ready ? 'text-emerald-700 dark:text-emerald-400' : 'text-red-700 dark:text-red-400'}>
          {data.ready ? 'Ready' : 'NotReady'}
        </span>
      </p>
      <ul className="mt-1 space-y-0.5">
        {pods.map((p) => (
          <li
            key={`${p.namespace}/${p.name}`}
            className="truncate font-mono text-[11px] leading-4 text-zinc-600 dark:text-zinc-400"
            title={`${p.namespace}/${p.name}`}
          >
            {p.ready ? '●' : '○'} {p.name}
          </li>
        ))}
        {Number(data.more) > 0 ? <li className="text-[11px] text-zinc-500">+{String(data.more)} more</li> : null}
      </ul>
    </div>
  );
}

function ServiceBox({ data }: NodeProps<Node<Data>>) {
  return (
    <div className="h-full w-full rounded-md border border-violet-300 bg-violet-50 p-2 dark:border-violet-800 dark:bg-violet-950/50">
      <Handle type="target" position={Position.Left} style={hidden} />
      <p className="truncate text-xs font-semibold">{String(data.name)}</p>
      <p className="text-[11px] text-zinc-500">
        {String(data.namespace)} · {String(data.type)}
      </p>
      <Handle type="source" position={Position.Bottom} style={hidden} />
    </div>
  );
}

function LanBox() {
  return (
    <div className="h-full w-full rounded-md border border-emerald-300 bg-emerald-50 p-2 dark:border-emerald-800 dark:bg-emerald-950/50">
      <p className="text-xs font-semibold">LAN</p>
      <p className="text-[11px] text-zinc-500">through this host&apos;s forwards</p>
      <Handle type="source" position={Position.Right} style={hidden} />
    </div>
  );
}

const nodeTypes = { vm: VmBox, node: NodeBox, service: ServiceBox, lan: LanBox };

const PADDING = 32; // around the drawing, inside the figure

/**
 * The topology at full size: as many VMs side by side as the figure's width holds, the rest on
 * further rows, and the figure as tall as that drawing — so its words stay readable at a laptop's
 * width instead of a single long row shrunk to fit.
 */
export function TopologyView({ topology }: { topology: Topology }) {
  const figure = useRef<HTMLElement>(null);
  const [width, setWidth] = useState<number | null>(null);
  useEffect(() => {
    const el = figure.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => setWidth(entry!.contentRect.width));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const columns = width === null ? Infinity : columnsFor(width - 2 * PADDING);
  const { nodes, edges, height } = useMemo(() => {
    const { boxes, links } = layoutTopology(topology, columns);
    const height = Math.max(...boxes.filter((b) => !b.parentId).map((b) => b.y + b.height), 0) + 2 * PADDING;
    const nodes: Node<Data>[] = boxes.map((b) => ({
      id: b.id,
      type: b.kind,
      position: { x: b.x, y: b.y },
      data: b.data,
      parentId: b.parentId,
      extent: b.parentId ? ('parent' as const) : undefined,
      style: { width: b.width, height: b.height },
      draggable: false,
      selectable: false,
    }));
    const edges: Edge[] = links.map((l) => ({
      id: l.id,
      source: l.source,
      target: l.target,
      label: l.label,
      animated: l.source === 'lan',
      // A forward's URL is drawn above every box (edges sit below nodes by default, and the
      // service boxes hid it), on a background of its own.
      ...(l.label
        ? { zIndex: 2000, labelBgPadding: [4, 2] as [number, number], labelBgBorderRadius: 4, labelStyle: { fontFamily: 'monospace' } }
        : {}),
    }));
    return { nodes, edges, height };
  }, [topology, columns]);
  const summary = `${topology.vms.length} VMs; ${topology.vms.filter((v) => v.node).length} of them Kubernetes nodes; ${topology.services.length} NodePort services`;
  return (
    <figure
      ref={figure}
      className="overflow-hidden rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900"
      style={{ height: Number.isFinite(columns) ? Math.max(240, height) : 480 }}
      aria-label={`Topology: ${summary}`}
    >
      <ReactFlow
        key={columns} // laid out again for another width: fitted again
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        fitView
        fitViewOptions={{ padding: `${PADDING}px`, maxZoom: 1 }}
        minZoom={0.2}
        proOptions={{ hideAttribution: true }}
        nodesConnectable={false}
        colorMode="system"
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
      <figcaption className="sr-only">{summary}</figcaption>
    </figure>
  );
}
