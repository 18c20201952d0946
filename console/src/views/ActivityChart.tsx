import type { Stats } from "../types.js"
import { Chart } from "./Chart.js"

type Bucket = Stats["series"]["last_hour"][number]

/** Pages completed, contacts and errors per bucket of the server's series, with the window's totals. */
export const ActivityChart = (props: {
  readonly id: string
  readonly title: string
  readonly buckets: ReadonlyArray<Bucket>
}) => {
  const total = (count: (bucket: Bucket) => number) =>
    props.buckets.reduce((sum, bucket) => sum + count(bucket), 0)
  return (
    <Chart
      id={props.id}
      title={props.title}
      summary={`${total((b) => b.pages_completed)} pages, ${total((b) => b.contacts)} contacts, ${total((b) => b.errors)} errors`}
      times={props.buckets.map((bucket) => Date.parse(bucket.at) / 1000)}
      lines={[
        { label: "pages", values: props.buckets.map((bucket) => bucket.pages_completed) },
        { label: "contacts", values: props.buckets.map((bucket) => bucket.contacts) },
        { label: "errors", values: props.buckets.map((bucket) => bucket.errors) },
      ]}
    />
  )
}
