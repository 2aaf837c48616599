// A chart of the Clickstream Dashboard as an OpenSearch Dashboards line visualization: the average
// of the field (metric) per automatic date_histogram bucket of windowEndTime (x axis), and for the
// departments chart one series per departmentName.keyword, the top 5 by that average.
import { type ChartSpec, TIME_FIELD } from '../../jobs/clickstream/charts.ts';

/** The spec's default range (last 15 minutes), stored with the histogram agg as the Dashboards editor does. */
export const DEFAULT_TIME_RANGE = { from: 'now-15m', to: 'now' } as const;

export function visState(chart: ChartSpec): Record<string, unknown> {
  // One-series charts name their metric after the chart; the departments chart keeps the default
  // label ("Average departmentCount"), since its legend shows the department names.
  const label = chart.seriesBy ? `Average ${chart.field}` : chart.title;
  const aggs: Record<string, unknown>[] = [
    {
      id: '1',
      enabled: true,
      type: 'avg',
      params: { field: chart.field, ...(chart.seriesBy ? {} : { customLabel: chart.title }) },
      schema: 'metric',
    },
    {
      id: '2',
      enabled: true,
      type: 'date_histogram',
      params: {
        field: TIME_FIELD,
        timeRange: { ...DEFAULT_TIME_RANGE },
        useNormalizedOpenSearchInterval: true,
        scaleMetricValues: false,
        interval: 'auto',
        drop_partials: false,
        min_doc_count: 1,
        extended_bounds: {},
        ...(chart.seriesBy ? {} : { customLabel: 'Window End Time' }),
      },
      schema: 'segment',
    },
  ];
  if (chart.seriesBy) {
    aggs.push({
      id: '3',
      enabled: true,
      type: 'terms',
      params: {
        // Text fields cannot be aggregated; their keyword subfield can (see the mapping).
        field: `${chart.seriesBy}.keyword`,
        orderBy: '1',
        order: 'desc',
        size: chart.top ?? 5,
        otherBucket: false,
        otherBucketLabel: 'Other',
        missingBucket: false,
        missingBucketLabel: 'Missing',
      },
      schema: 'group',
    });
  }
  return {
    title: chart.title,
    type: 'line',
    aggs,
    params: {
      type: 'line',
      grid: { categoryLines: false },
      categoryAxes: [
        {
          id: 'CategoryAxis-1',
          type: 'category',
          position: 'bottom',
          show: true,
          style: {},
          scale: { type: 'linear' },
          labels: { show: true, filter: true, truncate: 100 },
          title: {},
        },
      ],
      valueAxes: [
        {
          id: 'ValueAxis-1',
          name: 'LeftAxis-1',
          type: 'value',
          position: 'left',
          show: true,
          style: {},
          scale: { type: 'linear', mode: 'normal' },
          labels: { show: true, rotate: 0, filter: false, truncate: 100 },
          title: { text: label },
        },
      ],
      seriesParams: [
        {
          show: true,
          type: 'line',
          mode: 'normal',
          data: { label, id: '1' },
          valueAxis: 'ValueAxis-1',
          drawLinesBetweenPoints: true,
          lineWidth: 2,
          interpolate: 'linear',
          showCircles: true,
        },
      ],
      addTooltip: true,
      addLegend: true,
      legendPosition: 'right',
      times: [],
      addTimeMarker: false,
      labels: {},
      thresholdLine: { show: false, value: 10, width: 1, style: 'full', color: '#E7664C' },
    },
  };
}
