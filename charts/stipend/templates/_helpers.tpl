{{- define "stipend.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}{{ .Release.Name | trunc 50 | trimSuffix "-" }}{{- else -}}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" }}{{- end -}}
{{- end -}}

{{- define "stipend.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: stipend
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "stipend.selector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "stipend.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}
{{- end -}}

{{/* The runtime role's Postgres URL (every service connects with it) and the pool size. */}}
{{- define "stipend.databaseEnv" -}}
- name: STIPEND_DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.database.existingSecret }}
      key: {{ .Values.database.key }}
- { name: STIPEND_DATABASE_POOL, value: {{ .Values.database.poolSize | quote }} }
{{- end -}}

{{/* Finance settings that are not secret: reports, exports, alerts, the monthly report, admin. */}}
{{- define "stipend.financeEnv" -}}
- { name: STIPEND_REPORT_TIME_ZONE, value: {{ .Values.finance.timeZone | quote }} }
{{- with .Values.finance.mailFrom }}
- { name: STIPEND_MAIL_FROM, value: {{ . | quote }} }
{{- end }}
{{- with .Values.finance.reportEmailTo }}
- { name: STIPEND_REPORT_EMAIL_TO, value: {{ join "," . | quote }} }
{{- end }}
{{- with .Values.finance.exportFormats }}
- { name: STIPEND_REPORT_EXPORT_FORMATS, value: {{ join "," . | quote }} }
{{- end }}
{{- with .Values.finance.dashboardUrl }}
- { name: STIPEND_DASHBOARD_URL, value: {{ . | quote }} }
{{- end }}
- { name: STIPEND_CLOSE_GRACE_MS, value: {{ int64 .Values.finance.closeGraceMs | quote }} }
{{- if .Values.finance.glMapping }}
- { name: STIPEND_GL_MAPPING_FILE, value: /etc/stipend/gl-mapping/gl-mapping.yaml }
{{- end }}
{{- if .Values.pricing.models }}
- { name: STIPEND_PRICING_FILE, value: /etc/stipend/pricing/pricing.yaml }
{{- end }}
{{- end -}}

{{/* The books' files (GL mapping, pricing overrides for FOCUS list prices) for finance pods. */}}
{{- define "stipend.financeMounts" -}}
- { name: tmp, mountPath: /tmp }
{{- if .Values.finance.glMapping }}
- { name: gl-mapping, mountPath: /etc/stipend/gl-mapping, readOnly: true }
{{- end }}
{{- if .Values.pricing.models }}
- { name: pricing, mountPath: /etc/stipend/pricing, readOnly: true }
{{- end }}
{{- end -}}
{{- define "stipend.financeVolumes" -}}
{{ include "stipend.tmpVolume" . }}
{{- if .Values.finance.glMapping }}
- name: gl-mapping
  configMap: { name: {{ include "stipend.fullname" . }}-gl-mapping }
{{- end }}
{{- if .Values.pricing.models }}
- name: pricing
  configMap: { name: {{ include "stipend.fullname" . }}-pricing }
{{- end }}
{{- end -}}

{{- define "stipend.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- end -}}

{{/* The root filesystem is read-only: a small scratch /tmp for anything that wants one. */}}
{{- define "stipend.tmpVolume" -}}
- name: tmp
  emptyDir: { sizeLimit: 64Mi }
{{- end -}}
{{- define "stipend.tmpMount" -}}
- { name: tmp, mountPath: /tmp }
{{- end -}}

{{/* Pod-level settings shared by every workload. */}}
{{- define "stipend.podScheduling" -}}
{{- with .Values.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets: {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* Rules a JSON schema cannot express, with messages that say what to change. */}}
{{- define "stipend.validate" -}}
{{- $gw := .Values.gateway -}}
{{- if and .Values.migrations.enabled (eq .Values.migrations.existingSecret .Values.database.existingSecret) (eq .Values.migrations.key .Values.database.key) -}}
{{- fail (printf "migrations.existingSecret/key (%s/%s) must hold the owner's database URL, not the services' (database.existingSecret/key): the services connect as a runtime role that owns nothing (docs/deploy.md, Database roles)" .Values.migrations.existingSecret .Values.migrations.key) -}}
{{- end -}}
{{- if and $gw.ingress.enabled (not $gw.ingress.host) -}}
{{- fail "gateway.ingress.enabled needs gateway.ingress.host (the DNS name clients call)" -}}
{{- end -}}
{{- $autoscaled := or $gw.autoscaling.enabled $gw.autoscaling.keda.enabled -}}
{{- if and $gw.autoscaling.keda.enabled (not $gw.autoscaling.keda.prometheusServerAddress) -}}
{{- fail "gateway.autoscaling.keda.enabled needs gateway.autoscaling.keda.prometheusServerAddress (the Prometheus that scrapes the gateways)" -}}
{{- end -}}
{{- if ge (int $gw.autoscaling.targetInFlightPerReplica) (int $gw.maxInFlight) -}}
{{- fail (printf "gateway.autoscaling.targetInFlightPerReplica (%d) must be less than gateway.maxInFlight (%d), or replicas shed requests before the autoscaler adds any" (int $gw.autoscaling.targetInFlightPerReplica) (int $gw.maxInFlight)) -}}
{{- end -}}
{{- if and $autoscaled (gt (int $gw.autoscaling.minReplicas) (int $gw.autoscaling.maxReplicas)) -}}
{{- fail (printf "gateway.autoscaling.minReplicas (%d) must not be greater than gateway.autoscaling.maxReplicas (%d)" (int $gw.autoscaling.minReplicas) (int $gw.autoscaling.maxReplicas)) -}}
{{- end -}}
{{- if and $gw.podDisruptionBudget.enabled (not (kindIs "string" $gw.podDisruptionBudget.minAvailable)) -}}
{{- $floor := ternary $gw.autoscaling.minReplicas $gw.replicas $autoscaled | int -}}
{{- $key := ternary "gateway.autoscaling.minReplicas" "gateway.replicas" $autoscaled -}}
{{- if ge (int $gw.podDisruptionBudget.minAvailable) $floor -}}
{{- fail (printf "gateway.podDisruptionBudget.minAvailable (%d) must be less than %s (%d), or no gateway pod can ever be evicted and node drains hang" (int $gw.podDisruptionBudget.minAvailable) $key $floor) -}}
{{- end -}}
{{- end -}}
{{- if and .Values.cronJobs.hrisSync.enabled (not .Values.cronJobs.hrisSync.bamboohr.subdomain) -}}
{{- fail "cronJobs.hrisSync.enabled needs cronJobs.hrisSync.bamboohr.subdomain (the acme of acme.bamboohr.com)" -}}
{{- end -}}
{{- if and .Values.cronJobs.hrisSync.bamboohr.jobLevelMap (not .Values.cronJobs.hrisSync.bamboohr.jobLevelField) -}}
{{- fail "cronJobs.hrisSync.bamboohr.jobLevelMap needs cronJobs.hrisSync.bamboohr.jobLevelField (the field it maps)" -}}
{{- end -}}
{{- include "stipend.checkSecrets" . -}}
{{- end -}}

{{/* The Secrets a release cannot start without, as a JSON list of {name, key, values, example}:
     `values` names the settings that point at it, `example` is the kubectl literal that creates
     it. Another required Secret (e.g. a separate runtime database role) is one more entry. */}}
{{- define "stipend.requiredSecrets" -}}
{{- $db := dict "name" .Values.database.existingSecret "key" .Values.database.key "values" "database.existingSecret, database.key" "example" "postgres://stipend_app:PASSWORD@HOST:5432/stipend" -}}
{{- $list := list $db -}}
{{- if .Values.migrations.enabled -}}
{{- $list = append $list (dict "name" .Values.migrations.existingSecret "key" .Values.migrations.key "values" "migrations.existingSecret, migrations.key" "example" "postgres://OWNER:PASSWORD@HOST:5432/stipend") -}}
{{- end -}}
{{- if .Values.cronJobs.hrisSync.enabled -}}
{{- $bhr := .Values.cronJobs.hrisSync.bamboohr -}}
{{- $list = append $list (dict "name" $bhr.existingSecret "key" $bhr.apiKeyKey "values" "cronJobs.hrisSync.bamboohr.existingSecret, cronJobs.hrisSync.bamboohr.apiKeyKey" "example" "YOUR_BAMBOOHR_API_KEY" "why" "the BambooHR sync CronJob needs it") -}}
{{- end -}}
{{- toJson $list -}}
{{- end -}}

{{/* A real `helm install`/`upgrade` (and Flux's helm-controller, and --dry-run=server) reads the
     cluster while rendering: there, refuse at once when a required Secret or its key is missing,
     instead of a migration hook stuck on CreateContainerConfigError until the timeout.
     `helm template` and client-side dry runs (Argo CD renders this way) cannot see the cluster:
     `lookup` answers an empty map, and the check is skipped. A list lookup answers a non-empty
     map (kind, items) whenever Helm talks to a cluster, so it tells "missing" from "not looked". */}}
{{- define "stipend.checkSecrets" -}}
{{- $ns := .Release.Namespace -}}
{{- range (include "stipend.requiredSecrets" . | fromJsonArray) -}}
{{- $secret := lookup "v1" "Secret" $ns .name -}}
{{- $create := printf "kubectl -n %s create secret generic %s --from-literal=%s='%s'" $ns .name .key .example -}}
{{- if $secret -}}
{{- if not (index ($secret.data | default dict) .key) -}}
{{- $patch := printf "kubectl -n %s patch secret %s -p '{\"stringData\":{\"%s\":\"%s\"}}'" $ns .name .key .example -}}
{{- fail (printf "\n\nSecret %q in namespace %q has no key %q, or it is empty (values %s). Add it, then install again:\n  %s\n" .name $ns .key .values $patch) -}}
{{- end -}}
{{- else if (lookup "v1" "Secret" $ns "") -}}
{{- fail (printf "\n\nSecret %q not found in namespace %q (values %s): %s. Create it, then install again:\n  %s\n" .name $ns .values (.why | default "the migration and every Stipend pod need it") $create) -}}
{{- end -}}
{{- end -}}
{{- end -}}
