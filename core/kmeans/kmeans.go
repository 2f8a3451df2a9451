// Package kmeans clusters vectors with K-Means: greedy k-means++ seeding, Lloyd iterations and
// several restarts keeping the lowest inertia, following scikit-learn's KMeans defaults
// (n_init=10, max_iter=300, tol=1e-4 relative to the data's mean per-feature variance).
//
// Results are deterministic bit for bit on every platform: the only randomness is an explicit
// seeded PCG generator, and every product is rounded by an explicit float64 conversion before it is
// added, so the compiler cannot fuse multiply-adds differently on different architectures.
package kmeans

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// Options configures Fit. Zero fields take scikit-learn's defaults.
type Options struct {
	K       int     // number of clusters, 1 ≤ K ≤ number of points
	NInit   int     // restarts; the one with the lowest inertia wins (default 10)
	MaxIter int     // Lloyd iterations per restart (default 300)
	Tol     float64 // stop when the squared centroid shift ≤ Tol·mean feature variance (default 1e-4)
	Seed    uint64  // seed of the PCG generator; the same seed gives the same result
	History bool    // record every iteration of the winning restart in Result.History
}

// Step is one Lloyd iteration: assignments to the centroids it started from, and the updated centroids.
type Step struct {
	Labels    []int
	Centroids []float64 // K×d
	Inertia   float64   // sum of squared distances of points to their assigned (old) centroid
}

// Result is a clustering.
type Result struct {
	K, D      int
	Labels    []int     // cluster of each point, 0…K-1
	Centroids []float64 // K×d, row-major
	Inertia   float64   // sum of squared distances of points to their centroid
	Iter      int       // Lloyd iterations of the winning restart
	Restart   int       // index of the winning restart
	History   []Step    // the winning restart's iterations (Options.History); History[0] is the seeding
}

// Centroid returns centroid j (a slice into Centroids).
func (r *Result) Centroid(j int) []float64 { return r.Centroids[j*r.D : (j+1)*r.D] }

// Members returns the point indices of each cluster, in increasing order.
func (r *Result) Members() [][]int {
	m := make([][]int, r.K)
	for i, l := range r.Labels {
		m[l] = append(m[l], i)
	}
	return m
}

// Fit clusters the n points of x (n×d, row-major).
func Fit(x []float64, n, d int, opt Options) (*Result, error) {
	if n < 1 || d < 1 || len(x) != n*d {
		return nil, fmt.Errorf("kmeans: %d values for %d points of dimension %d", len(x), n, d)
	}
	if opt.K < 1 || opt.K > n {
		return nil, fmt.Errorf("kmeans: k = %d clusters for %d points (need 1 ≤ k ≤ n)", opt.K, n)
	}
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("kmeans: value %d (point %d) is %v", i, i/d, v)
		}
	}
	if opt.NInit == 0 {
		opt.NInit = 10
	}
	if opt.MaxIter == 0 {
		opt.MaxIter = 300
	}
	if opt.Tol == 0 {
		opt.Tol = 1e-4
	}
	if opt.NInit < 0 || opt.MaxIter < 0 || opt.Tol < 0 {
		return nil, errors.New("kmeans: NInit, MaxIter and Tol must not be negative")
	}
	tol := opt.Tol * meanVariance(x, n, d)
	rng := rand.New(rand.NewPCG(opt.Seed, 0x6b6d65616e73)) // "kmeans"
	var best *Result
	for run := range opt.NInit {
		c := seedPlusPlus(x, n, d, opt.K, rng)
		r := lloyd(x, n, d, opt.K, c, opt.MaxIter, tol, opt.History)
		r.Restart = run
		if best == nil || r.Inertia < best.Inertia {
			best = r
		}
	}
	return best, nil
}

// meanVariance is the mean over features of each feature's variance (scikit-learn's tol scale).
func meanVariance(x []float64, n, d int) float64 {
	var total float64
	for j := range d {
		var mean float64
		for i := range n {
			mean += x[i*d+j]
		}
		mean /= float64(n)
		var v float64
		for i := range n {
			t := x[i*d+j] - mean
			v += float64(t * t)
		}
		total += v / float64(n)
	}
	return total / float64(d)
}

// sqDist returns Σ (a_i − b_i)².
func sqDist(a, b []float64) float64 {
	var s float64
	for i := range a {
		t := a[i] - b[i]
		s += float64(t * t)
	}
	return s
}

// seedPlusPlus is greedy k-means++ (Arthur & Vassilvitskii; scikit-learn's variant): the first
// centre uniformly, then each next one the best of 2+⌊ln k⌋ candidates drawn with probability
// proportional to D(x)², where best means the lowest resulting potential Σ min D².
func seedPlusPlus(x []float64, n, d, k int, rng *rand.Rand) []float64 {
	c := make([]float64, k*d)
	first := rng.IntN(n)
	copy(c, x[first*d:(first+1)*d])
	closest := make([]float64, n)
	var pot float64
	for i := range n {
		closest[i] = sqDist(x[i*d:(i+1)*d], c[:d])
		pot += closest[i]
	}
	trials := 2 + int(math.Log(float64(k)))
	cand := make([]float64, n)
	bestCand := make([]float64, n)
	for j := 1; j < k; j++ {
		bestIdx, bestPot := -1, math.Inf(1)
		for range trials {
			idx := sample(closest, pot, rng)
			var p float64
			for i := range n {
				cand[i] = min(closest[i], sqDist(x[i*d:(i+1)*d], x[idx*d:(idx+1)*d]))
				p += cand[i]
			}
			if p < bestPot {
				bestIdx, bestPot = idx, p
				copy(bestCand, cand)
			}
		}
		copy(c[j*d:(j+1)*d], x[bestIdx*d:(bestIdx+1)*d])
		copy(closest, bestCand)
		pot = bestPot
	}
	return c
}

// sample draws index i with probability w[i]/total (uniformly when every weight is zero, i.e. all
// remaining points coincide with a centre).
func sample(w []float64, total float64, rng *rand.Rand) int {
	if !(total > 0) {
		return rng.IntN(len(w))
	}
	r := rng.Float64() * total
	var acc float64
	for i, v := range w {
		acc += v
		if r < acc {
			return i
		}
	}
	for i := len(w) - 1; i >= 0; i-- { // rounding left r ≥ acc: take the last positive weight
		if w[i] > 0 {
			return i
		}
	}
	return len(w) - 1
}

// assign sets labels to the nearest centroid (lowest index on ties) and returns the inertia and each
// point's squared distance.
func assign(x []float64, n, d, k int, c []float64, labels []int, dist []float64) float64 {
	var inertia float64
	for i := range n {
		p := x[i*d : (i+1)*d]
		bl, bd := 0, math.Inf(1)
		for j := range k {
			if dd := sqDist(p, c[j*d:(j+1)*d]); dd < bd {
				bl, bd = j, dd
			}
		}
		labels[i], dist[i] = bl, bd
		inertia += bd
	}
	return inertia
}

// lloyd runs Lloyd iterations from centroids c (modified in place).
func lloyd(x []float64, n, d, k int, c []float64, maxIter int, tol float64, history bool) *Result {
	labels := make([]int, n)
	prev := make([]int, n)
	for i := range prev {
		prev[i] = -1
	}
	dist := make([]float64, n)
	next := make([]float64, k*d)
	counts := make([]int, k)
	r := &Result{K: k, D: d}
	if history {
		r.History = append(r.History, Step{Labels: make([]int, n), Centroids: append([]float64(nil), c...)})
	}
	iter := 0
	for iter < maxIter {
		iter++
		inertia := assign(x, n, d, k, c, labels, dist)
		update(x, n, d, k, labels, dist, c, next, counts)
		var shift float64
		for j := range k {
			shift += sqDist(c[j*d:(j+1)*d], next[j*d:(j+1)*d])
		}
		c, next = next, c
		if history {
			r.History = append(r.History, Step{Labels: append([]int(nil), labels...), Centroids: append([]float64(nil), c...), Inertia: inertia})
		}
		same := true
		for i := range labels {
			if labels[i] != prev[i] {
				same = false
				break
			}
		}
		if same || shift <= tol {
			break
		}
		copy(prev, labels)
	}
	// Final assignment so that labels match the returned centroids.
	r.Inertia = assign(x, n, d, k, c, labels, dist)
	r.Labels, r.Centroids, r.Iter = labels, c, iter
	return r
}

// update computes each cluster's mean into next. An empty cluster takes the point farthest from its
// centroid that has not already been moved, as scikit-learn does; old holds the current centres.
func update(x []float64, n, d, k int, labels []int, dist, old, next []float64, counts []int) {
	clear(counts)
	for _, l := range labels {
		counts[l]++
	}
	var moved []int
	for j := range k {
		if counts[j] > 0 {
			continue
		}
		far := -1
		for i := range n {
			if counts[labels[i]] > 1 && !contains(moved, i) && (far < 0 || dist[i] > dist[far]) {
				far = i
			}
		}
		if far < 0 {
			continue
		}
		counts[labels[far]]--
		labels[far] = j
		counts[j] = 1
		dist[far] = 0
		moved = append(moved, far)
	}
	clear(next)
	for i := range n {
		row := next[labels[i]*d : (labels[i]+1)*d]
		for t, v := range x[i*d : (i+1)*d] {
			row[t] += v
		}
	}
	for j := range k {
		if counts[j] == 0 { // more empty clusters than spare points: keep the old centre
			copy(next[j*d:(j+1)*d], old[j*d:(j+1)*d])
			continue
		}
		inv := float64(counts[j])
		for t := range d {
			next[j*d+t] /= inv
		}
	}
}

func contains(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
