package main

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// Targets of issue 9, checked in the report.
const (
	targetWallRatio = 1.25
	targetRSSRatio  = 1.5
	targetPerPkg    = 5 * time.Second
)

// Targets of issue 18 for the analysis-bound (edit) mode, as ratios to
// go vet in the same run.
const (
	targetEditCPU   = 1.5  // tool CPU (user+sys over the units that rerun)
	targetEditRSS   = 1.5  // largest unit's peak RSS
	targetEditFacts = 10.0 // fact bytes in the units' .vetx files
	targetEditUnit  = 3 * time.Second
)

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// metric reads one number from a measurement.
type metric func(*measurement) float64

var (
	wallS    metric = func(m *measurement) float64 { return m.wall.Seconds() }
	cpuS     metric = func(m *measurement) float64 { return m.cpu.Seconds() }
	toolCPUS metric = func(m *measurement) float64 { return m.toolCPU().Seconds() }
	toolRSSM metric = func(m *measurement) float64 { return float64(m.toolRSS()) / 1024 }
	factsK   metric = func(m *measurement) float64 {
		var n int64
		for _, u := range m.units {
			n += u.Facts
		}
		return float64(n) / 1024
	}
	vetxK metric = func(m *measurement) float64 {
		var n int64
		for _, u := range m.units {
			n += u.Vetx
		}
		return float64(n) / 1024
	}
)

// find returns the measurements of one target, mode and tool, by run.
func (r *results) find(target, mode, tool string) map[int]*measurement {
	out := map[int]*measurement{}
	for _, m := range r.measurements {
		if m.target == target && m.mode == mode && m.tool == tool {
			out[m.run] = m
		}
	}
	return out
}

func (r *results) med(target, mode, tool string, f metric) float64 {
	var xs []float64
	for _, m := range r.find(target, mode, tool) {
		xs = append(xs, f(m))
	}
	return median(xs)
}

// ratio is the median over runs of f(tool)/f(base) within the same run.
func (r *results) ratio(target, mode, tool, base string, f metric) float64 {
	bs := r.find(target, mode, base)
	var xs []float64
	for run, m := range r.find(target, mode, tool) {
		if b := bs[run]; b != nil && f(b) > 0 {
			xs = append(xs, f(m)/f(b))
		}
	}
	return median(xs)
}

// share is the median over runs of 1 - f(without)/f(with).
func (r *results) share(target, mode, with, without string, f metric) float64 {
	ws := r.find(target, mode, without)
	var xs []float64
	for run, m := range r.find(target, mode, with) {
		if w := ws[run]; w != nil && f(m) > 0 {
			xs = append(xs, 1-f(w)/f(m))
		}
	}
	return median(xs)
}

func (r *results) modeTargets(mode string) []*target {
	var out []*target
	for _, t := range r.targets {
		if len(r.find(t.name, mode, "vet")) > 0 {
			out = append(out, t)
		}
	}
	return out
}

func (r *results) hasTool(tool string) bool {
	for _, t := range r.tools {
		if t == tool {
			return true
		}
	}
	return false
}

func num(x float64, prec int) string {
	if math.IsNaN(x) {
		return "–"
	}
	return fmt.Sprintf("%.*f", prec, x)
}

func pct(x float64) string {
	if math.IsNaN(x) {
		return "–"
	}
	return fmt.Sprintf("%.0f%%", 100*x)
}

func times(x float64) string {
	if math.IsNaN(x) {
		return "–"
	}
	return fmt.Sprintf("%.2f×", x)
}

var toolTitle = map[string]string{
	"vet":          "go vet (default suite)",
	"ssafloor":     "SSA floor (buildssa only)",
	"syncvet":      "syncvet (default checks)",
	"syncvet-nosa": "syncvet without SA2000–SA2003",

	"syncvet-untrimmed": "syncvet, dependencies untrimmed",
}

// markdown renders the report.
func (r *results) markdown(top int) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	p("## syncvet-bench\n\n")
	p("Machine: %s. Measured %s to %s; load average (1, 5, 15 min) %s at the start, %s at the end. syncvet at commit %s.\n\n", r.machine, r.start, r.end, r.loadStart, r.loadEnd, r.commit)
	p("%d alternating run(s) of each tool. **cold**: fresh empty GOCACHE, so every dependency is compiled, as in a first CI run; **warm**: the compiler's cache kept, every vet unit (dependencies' fact-only units included) rerun; **edit** (analysis-bound): the compiler's cache and every dependency's vet results kept, every .go file of the target module changed before each run so that exactly its own units rerun (std: every unit reruns by a new tool ID).\n", r.runs)
	p("Medians over runs; **×vet** is the median of the run-by-run ratios to go vet's default suite. *CPU*: user+sys of go vet and all its children (compiler included); *tool CPU*: the vet tool processes alone; *peak RSS*: the largest single vet tool process (the per-package peak); *units*: packages analysed for findings + dependencies analysed for facts only.\n\n")

	p("| target | mode | tool | units | wall s | ×vet | CPU s | ×vet | tool CPU s | ×vet | peak RSS MiB | ×vet |\n")
	p("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, mode := range r.modes {
		for _, t := range r.modeTargets(mode) {
			for _, tool := range r.tools {
				ms := r.find(t.name, mode, tool)
				if len(ms) == 0 {
					continue
				}
				var any *measurement
				for _, m := range ms {
					any = m
					break
				}
				d, f := any.packages()
				rat := func(f metric) string {
					if tool == "vet" {
						return "1"
					}
					return times(r.ratio(t.name, mode, tool, "vet", f))
				}
				p("| %s | %s | %s | %d+%d | %s | %s | %s | %s | %s | %s | %s | %s |\n",
					t.name, mode, toolTitle[tool], d, f,
					num(r.med(t.name, mode, tool, wallS), 1), rat(wallS),
					num(r.med(t.name, mode, tool, cpuS), 1), rat(cpuS),
					num(r.med(t.name, mode, tool, toolCPUS), 1), rat(toolCPUS),
					num(r.med(t.name, mode, tool, toolRSSM), 0), rat(toolRSSM))
			}
		}
	}
	p("\n")

	if r.hasTool("syncvet") && r.hasTool("syncvet-nosa") && len(r.modeTargets("warm")) > 0 {
		p("### Share of the bundled staticcheck checks (SA2000–SA2003, which build staticcheck's IR beside go/ssa)\n\n")
		p("Warm runs of syncvet with and without them; share = median over runs of 1 − without/with.\n\n")
		p("| target | syncvet wall s | without wall s | share of wall | share of tool CPU | peak RSS MiB with / without |\n")
		p("|---|---:|---:|---:|---:|---:|\n")
		for _, t := range r.modeTargets("warm") {
			p("| %s | %s | %s | %s | %s | %s / %s |\n", t.name,
				num(r.med(t.name, "warm", "syncvet", wallS), 1),
				num(r.med(t.name, "warm", "syncvet-nosa", wallS), 1),
				pct(r.share(t.name, "warm", "syncvet", "syncvet-nosa", wallS)),
				pct(r.share(t.name, "warm", "syncvet", "syncvet-nosa", toolCPUS)),
				num(r.med(t.name, "warm", "syncvet", toolRSSM), 0),
				num(r.med(t.name, "warm", "syncvet-nosa", toolRSSM), 0))
		}
		p("\n")
	}

	slow := r.slowest(top)
	if len(slow) > 0 {
		p("### Slowest packages for syncvet (%s runs, median per unit, by CPU)\n\n", slow[0].mode)
		p("Wall times of single units swing with the machine's load; CPU is the steadier measure.\n\n")
		p("| package | target | syncvet CPU s | syncvet wall s | SSA floor wall s | go vet wall s | syncvet RSS MiB |\n")
		p("|---|---|---:|---:|---:|---:|---:|\n")
		for _, s := range slow {
			id := s.id
			if s.factsOnly {
				id += " (facts only)"
			}
			p("| %s | %s | %s | %s | %s | %s | %s |\n", id, s.target, num(s.syncvetCPU, 2), num(s.syncvet, 2), num(s.floor, 2), num(s.vet, 2), num(s.rss, 0))
		}
		p("\n")
	}

	p("### Cost against package count\n\n")
	p("Median tool CPU per vet unit: roughly constant per unit across targets of very different size means cost grows linearly with the number of packages. *facts*: total size of the facts in the units' .vetx files; *vetx*: the whole files (x/tools v0.52's unitchecker also writes each package's export data there).\n\n")
	p("| target | mode | units | go vet ms/unit | SSA floor ms/unit | syncvet ms/unit | syncvet wall s | facts KiB go vet / syncvet | vetx KiB go vet / syncvet |\n")
	p("|---|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, mode := range r.modes {
		for _, t := range r.modeTargets(mode) {
			ms := r.find(t.name, mode, "vet")
			var n int
			for _, m := range ms {
				n = len(m.units)
				break
			}
			per := func(tool string) string {
				ms := r.find(t.name, mode, tool)
				var xs []float64
				for _, m := range ms {
					if len(m.units) > 0 {
						xs = append(xs, 1000*m.toolCPU().Seconds()/float64(len(m.units)))
					}
				}
				return num(median(xs), 0)
			}
			p("| %s | %s | %d | %s | %s | %s | %s | %s / %s | %s / %s |\n", t.name, mode, n, per("vet"), per("ssafloor"), per("syncvet"), num(r.med(t.name, mode, "syncvet", wallS), 1),
				num(r.med(t.name, mode, "vet", factsK), 0), num(r.med(t.name, mode, "syncvet", factsK), 0),
				num(r.med(t.name, mode, "vet", vetxK), 0), num(r.med(t.name, mode, "syncvet", vetxK), 0))
		}
	}
	p("\n")

	r.targetStatus(&b)

	var fails []string
	for _, m := range r.measurements {
		if m.exit != 0 {
			fails = append(fails, fmt.Sprintf("- run %d %s %s %s: exit %d: %s", m.run, m.mode, m.target, m.tool, m.exit, firstLine(m.errTail)))
		}
	}
	if len(fails) > 0 {
		p("\n### Failed runs\n\n%s\n", strings.Join(fails, "\n"))
	}
	return b.String()
}

type slowPkg struct {
	target, id, mode                     string
	factsOnly                            bool
	syncvet, syncvetCPU, floor, vet, rss float64
}

// slowest returns the units with the largest median syncvet CPU time
// (steadier than wall time on a loaded machine), from warm runs where
// there are any (they time the analysis alone).
func (r *results) slowest(top int) []slowPkg {
	mode := "cold"
	if len(r.modeTargets("warm")) > 0 {
		mode = "warm"
	} else if len(r.modeTargets("edit")) > 0 {
		mode = "edit"
	}
	type key struct{ target, id string }
	unitMed := func(tool string, f func(unit) float64) map[key]float64 {
		xs := map[key][]float64{}
		for _, m := range r.measurements {
			if m.mode != mode || m.tool != tool {
				continue
			}
			for _, u := range m.units {
				k := key{m.target, u.ID}
				xs[k] = append(xs[k], f(u))
			}
		}
		out := map[key]float64{}
		for k, v := range xs {
			out[k] = median(v)
		}
		return out
	}
	wall := func(u unit) float64 { return u.Wall.Seconds() }
	sv := unitMed("syncvet", wall)
	svCPU := unitMed("syncvet", func(u unit) float64 { return u.CPU.Seconds() })
	fl := unitMed("ssafloor", wall)
	vt := unitMed("vet", wall)
	rss := unitMed("syncvet", func(u unit) float64 { return float64(u.RSS) / 1024 })
	facts := map[key]bool{}
	for _, m := range r.measurements {
		if m.tool == "syncvet" && m.mode == mode {
			for _, u := range m.units {
				facts[key{m.target, u.ID}] = u.VetxOnly
			}
		}
	}
	var out []slowPkg
	for k, s := range sv {
		get := func(m map[key]float64) float64 {
			if v, ok := m[k]; ok {
				return v
			}
			return math.NaN()
		}
		out = append(out, slowPkg{target: k.target, id: k.id, mode: mode, factsOnly: facts[k], syncvet: s, syncvetCPU: get(svCPU), floor: get(fl), vet: get(vt), rss: get(rss)})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].syncvetCPU != out[j].syncvetCPU {
			return out[i].syncvetCPU > out[j].syncvetCPU
		}
		return out[i].target+out[i].id < out[j].target+out[j].id
	})
	if len(out) > top {
		out = out[:top]
	}
	return out
}

func mark(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}

// targetStatus prints the issues' targets against what was measured.
func (r *results) targetStatus(b *strings.Builder) {
	if !r.hasTool("syncvet") {
		return
	}
	if len(r.modeTargets("edit")) > 0 {
		r.editStatus(b)
	}
	if len(r.modeTargets("cold")) == 0 && len(r.modeTargets("warm")) == 0 {
		return
	}
	fmt.Fprintf(b, "### Targets\n\n")
	mode := "cold"
	if len(r.modeTargets("cold")) == 0 {
		mode = "warm"
		fmt.Fprintf(b, "No cold runs: the wall and RSS ratios below are warm (the targets are set cold).\n\n")
	}
	for _, t := range r.modeTargets(mode) {
		w := r.ratio(t.name, mode, "syncvet", "vet", wallS)
		m := r.ratio(t.name, mode, "syncvet", "vet", toolRSSM)
		fmt.Fprintf(b, "- %s, %s: wall %s go vet (target ≤ %.2f×: %s); per-package peak RSS %s (target ≤ %.1f×: %s)\n",
			t.name, mode, times(w), targetWallRatio, mark(w <= targetWallRatio), times(m), targetRSSRatio, mark(m <= targetRSSRatio))
	}
	var worst, worstCPU time.Duration
	worstID, worstCPUID := "", ""
	for _, m := range r.measurements {
		if m.tool != "syncvet" || m.mode != "cold" && m.mode != "warm" {
			continue
		}
		for _, u := range m.units {
			if u.Wall > worst {
				worst, worstID = u.Wall, m.target+" "+u.ID
			}
			if u.CPU > worstCPU {
				worstCPU, worstCPUID = u.CPU, m.target+" "+u.ID
			}
		}
	}
	if worstID != "" {
		fmt.Fprintf(b, "- slowest single syncvet unit in any run: %s, %.2f s wall (target ≤ %s: %s); most CPU: %s, %.2f s\n",
			worstID, worst.Seconds(), targetPerPkg, mark(worst <= targetPerPkg), worstCPUID, worstCPU.Seconds())
	}
}

// editStatus prints issue 18's targets for the analysis-bound mode: per
// target, syncvet's tool CPU, largest unit's peak RSS and fact bytes as
// medians of the run-by-run ratios to go vet, and its costliest unit.
func (r *results) editStatus(b *strings.Builder) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("### Targets of the analysis-bound mode (issue 18)\n\n")
	p("Ratios of syncvet to go vet in the same run, medians over runs. *CPU*: user+sys summed over the vet tool units that reran (target ≤ %.1f×); *peak RSS*: the largest unit's (target ≤ %.1f×); *facts*: bytes of facts in those units' .vetx files, export data excluded (target ≤ %.0f×); *costliest unit*: the most CPU any syncvet unit took (target ≤ %s).\n\n", targetEditCPU, targetEditRSS, targetEditFacts, targetEditUnit)
	p("| target | units | CPU s go vet / floor / syncvet | CPU ×vet | peak RSS MiB go vet / syncvet | RSS ×vet | facts KiB go vet / syncvet | facts ×vet | costliest unit | all met |\n")
	p("|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n")
	for _, t := range r.modeTargets("edit") {
		cpu := r.ratio(t.name, "edit", "syncvet", "vet", toolCPUS)
		rss := r.ratio(t.name, "edit", "syncvet", "vet", toolRSSM)
		facts := r.ratio(t.name, "edit", "syncvet", "vet", factsK)
		var units int
		for _, m := range r.find(t.name, "edit", "syncvet") {
			units = len(m.units)
		}
		var worst time.Duration
		worstID := "–"
		for _, m := range r.find(t.name, "edit", "syncvet") {
			for _, u := range m.units {
				if u.CPU > worst {
					worst, worstID = u.CPU, fmt.Sprintf("%s %.2f s", u.ID, u.CPU.Seconds())
				}
			}
		}
		okCPU, okRSS, okFacts := cpu <= targetEditCPU, rss <= targetEditRSS, facts <= targetEditFacts
		okUnit := worst <= targetEditUnit
		p("| %s | %d | %s / %s / %s | %s %s | %s / %s | %s %s | %s / %s | %s %s | %s %s | %s |\n",
			t.name, units,
			num(r.med(t.name, "edit", "vet", toolCPUS), 2), num(r.med(t.name, "edit", "ssafloor", toolCPUS), 2), num(r.med(t.name, "edit", "syncvet", toolCPUS), 2),
			times(cpu), mark(okCPU),
			num(r.med(t.name, "edit", "vet", toolRSSM), 0), num(r.med(t.name, "edit", "syncvet", toolRSSM), 0),
			times(rss), mark(okRSS),
			num(r.med(t.name, "edit", "vet", factsK), 0), num(r.med(t.name, "edit", "syncvet", factsK), 0),
			times(facts), mark(okFacts),
			worstID, mark(okUnit),
			map[bool]string{true: "yes", false: "no"}[okCPU && okRSS && okFacts && okUnit])
	}
	p("\n")
}
