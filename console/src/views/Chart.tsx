import { useEffect, useRef } from "preact/hooks"
import uPlot from "uplot"

export interface Line {
  readonly label: string
  readonly values: ReadonlyArray<number | null>
}

const colors = ["#2563eb", "#16a34a", "#dc2626", "#9333ea", "#ea580c"] as const
const HEIGHT = 180

/**
 * A uPlot line chart of series over time (seconds since the epoch), resized with its container.
 * The figure says how many points it shows (data-points); its caption gives the summary, if any,
 * and reads the latest values.
 */
export const Chart = (props: {
  readonly id?: string
  readonly title: string
  readonly summary?: string
  readonly times: ReadonlyArray<number>
  readonly lines: ReadonlyArray<Line>
}) => {
  const container = useRef<HTMLDivElement>(null)
  const chart = useRef<uPlot | null>(null)
  const data: uPlot.AlignedData = [[...props.times], ...props.lines.map((line) => [...line.values])]

  useEffect(() => {
    const element = container.current
    if (element === null) return
    const plot = new uPlot(
      {
        width: element.clientWidth,
        height: HEIGHT,
        series: [
          {},
          ...props.lines.map((line, index) => ({
            label: line.label,
            stroke: colors[index % colors.length] ?? colors[0],
          })),
        ],
        // One sample has no span of time: show the minute around it rather than years.
        scales: { x: { range: (_, min, max) => (min === max ? [min - 30, max + 30] : [min, max]) } },
        axes: [{}, { size: 48 }],
        legend: { live: false },
      },
      data,
      element,
    )
    chart.current = plot
    const resize = new ResizeObserver(() => plot.setSize({ width: element.clientWidth, height: HEIGHT }))
    resize.observe(element)
    return () => {
      resize.disconnect()
      plot.destroy()
      chart.current = null
    }
  }, [props.lines.map((line) => line.label).join()])

  useEffect(() => chart.current?.setData(data), [data])

  const latest = props.lines.map((line) => `${line.label} ${line.values.at(-1) ?? "—"}`).join(", ")
  return (
    <figure class="chart" data-chart={props.id} data-points={props.times.length}>
      <figcaption>
        <strong>{props.title}</strong>
        {props.summary !== undefined && <span class="summary">: {props.summary}</span>}{" "}
        <span class="visually-hidden">latest: {latest}</span>
      </figcaption>
      <div ref={container} aria-hidden="true" />
    </figure>
  )
}
